/**
 * Bearer-token security for subgraphs: roles, the caller, token minting and graphql-ws
 * authentication.
 */
@org.jspecify.annotations.NullMarked
package io.retain.support.security;
