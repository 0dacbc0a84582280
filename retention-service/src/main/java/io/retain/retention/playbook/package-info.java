/** Tier playbooks and risk measures: what is done for a tier or a risk factor. */
@org.jspecify.annotations.NullMarked
package io.retain.retention.playbook;
