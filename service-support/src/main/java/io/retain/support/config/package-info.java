/** Environment helpers shared by the services' post-processors. */
@org.jspecify.annotations.NullMarked
package io.retain.support.config;
