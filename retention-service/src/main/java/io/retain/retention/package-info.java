/** retention-service: Owns playbooks, action plans, campaigns and their measured effect. */
package io.retain.retention;
