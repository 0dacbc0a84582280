/** retention-service: Owns playbooks, action plans, campaigns and their measured effect. */
@org.jspecify.annotations.NullMarked
package io.retain.retention;
