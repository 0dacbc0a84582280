package io.retain.gateway.limits;

/** The probe's fragment-spread bomb, for the limit and fuzz tests. */
public final class Bombs {

  private Bombs() {}

  /** F0 selects one field; each F(i) spreads F(i-1) three times: 3^n fields once expanded. */
  public static String bomb(int n) {
    StringBuilder b = new StringBuilder("{ ...F" + n + " }\nfragment F0 on Query { __typename }\n");
    for (int i = 1; i <= n; i++) {
      String prev = "...F" + (i - 1);
      b.append("fragment F" + i + " on Query { " + prev + " " + prev + " " + prev + " }\n");
    }
    return b.toString();
  }
}
