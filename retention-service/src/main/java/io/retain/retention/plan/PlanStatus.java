package io.retain.retention.plan;

/**
 * Life cycle of an action plan: PLANNED → IN_PROGRESS → DONE, and PLANNED|IN_PROGRESS → CANCELLED.
 */
public enum PlanStatus {
  PLANNED,
  IN_PROGRESS,
  DONE,
  CANCELLED;

  /** Whether a plan in this status may move to {@code next}. */
  public boolean canMoveTo(PlanStatus next) {
    return switch (this) {
      case PLANNED -> next == IN_PROGRESS || next == CANCELLED;
      case IN_PROGRESS -> next == DONE || next == CANCELLED;
      case DONE, CANCELLED -> false;
    };
  }

  /** Open plans count against the one-open-plan-per-problem rule. */
  public boolean isOpen() {
    return this == PLANNED || this == IN_PROGRESS;
  }
}
