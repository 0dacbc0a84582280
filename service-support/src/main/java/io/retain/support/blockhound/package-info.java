/** BlockHound allowances for the few blocking calls on reactive threads the tests accept. */
@org.jspecify.annotations.NullMarked
package io.retain.support.blockhound;
