package io.retain.scoring.prediction.purchase;

import java.util.function.ToDoubleFunction;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Minimises a function of positive parameters by Nelder-Mead over their logarithms (so every step
 * stays positive), restarting the simplex from the best point until a restart no longer improves: a
 * simplex can stall on a ridge, and a restart that finds nothing better is the convergence check.
 */
final class LogSpaceMinimizer {

  private static final double RELATIVE = 1e-12;
  private static final double ABSOLUTE = 1e-12;
  private static final int MAX_EVALUATIONS_PER_RUN = 20_000;
  private static final int MAX_RESTARTS = 8;

  /** A restart that improves the objective by less than this (relative) confirms convergence. */
  static final double CONVERGED = 1e-9;

  private LogSpaceMinimizer() {}

  /** Where the minimum is, its value, the evaluations spent and whether a restart confirmed it. */
  record Minimum(double[] parameters, double value, int evaluations, boolean converged) {}

  /**
   * Minimises {@code objective} (a function of the positive parameters, not of their logs) from
   * {@code start}. Non-finite values (a parameter under- or overflowing) count as +∞.
   */
  static Minimum minimize(ToDoubleFunction<double[]> objective, double[] start) {
    ObjectiveFunction inLogs =
        new ObjectiveFunction(
            logs -> {
              double[] p = new double[logs.length];
              for (int i = 0; i < logs.length; i++) {
                p[i] = Math.exp(logs[i]);
              }
              try {
                double v = objective.applyAsDouble(p);
                return Double.isFinite(v) ? v : Double.MAX_VALUE;
              } catch (IllegalArgumentException | ArithmeticException outOfDomain) {
                return Double.MAX_VALUE;
              }
            });
    double[] point = new double[start.length];
    for (int i = 0; i < start.length; i++) {
      point[i] = Math.log(start[i]);
    }
    double value = Double.MAX_VALUE;
    int evaluations = 0;
    for (int run = 0; run <= MAX_RESTARTS; run++) {
      var optimizer = new SimplexOptimizer(RELATIVE, ABSOLUTE);
      PointValuePair best;
      try {
        best =
            optimizer.optimize(
                new MaxEval(MAX_EVALUATIONS_PER_RUN),
                inLogs,
                GoalType.MINIMIZE,
                new InitialGuess(point),
                new NelderMeadSimplex(start.length));
      } catch (MathIllegalStateException tooManyEvaluations) {
        return new Minimum(exp(point), value, evaluations + MAX_EVALUATIONS_PER_RUN, false);
      }
      evaluations += optimizer.getEvaluations();
      double improvement = value - best.getValue();
      point = best.getPoint();
      value = best.getValue();
      if (run > 0 && improvement <= CONVERGED * Math.max(1, Math.abs(value))) {
        return new Minimum(exp(point), value, evaluations, value < Double.MAX_VALUE);
      }
    }
    return new Minimum(exp(point), value, evaluations, false);
  }

  private static double[] exp(double[] logs) {
    double[] p = new double[logs.length];
    for (int i = 0; i < logs.length; i++) {
      p[i] = Math.exp(logs[i]);
    }
    return p;
  }
}
