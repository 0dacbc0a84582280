package io.retain.gateway.execute;

import graphql.language.AstPrinter;
import graphql.language.OperationDefinition;
import graphql.language.VariableDefinition;
import java.util.LinkedHashMap;
import java.util.Map;

/** The client's variables a subgraph document uses: their definitions and values, no others. */
final class OperationVariables {

  private OperationVariables() {}

  /**
   * The variable definitions for a document with selection {@code body}: {@code extra} (the
   * gateway's own, e.g. representations) and the operation's variables the body uses; "" for none.
   */
  static String definitions(OperationDefinition op, String body, String extra) {
    StringBuilder sb = new StringBuilder(extra);
    for (VariableDefinition vd : op.getVariableDefinitions()) {
      if (uses(body, vd.getName())) {
        if (!sb.isEmpty()) sb.append(",");
        sb.append("$").append(vd.getName()).append(":").append(AstPrinter.printAst(vd.getType()));
        // the default keeps a nullable variable valid where a non-null value is expected
        if (vd.getDefaultValue() != null) {
          sb.append("=").append(AstPrinter.printAst(vd.getDefaultValue()));
        }
      }
    }
    return sb.isEmpty() ? "" : "(" + sb + ")";
  }

  /** The values of the operation's variables that {@code body} uses (given ones only). */
  static Map<String, Object> used(
      OperationDefinition op, String body, Map<String, Object> variables) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (VariableDefinition vd : op.getVariableDefinitions()) {
      if (uses(body, vd.getName()) && variables.containsKey(vd.getName())) {
        out.put(vd.getName(), variables.get(vd.getName()));
      }
    }
    return out;
  }

  /** Whether {@code $var} (not a longer name starting with it) occurs; per fetch, so no regex. */
  static boolean uses(String body, String var) {
    String ref = "$" + var;
    for (int i = body.indexOf(ref); i >= 0; i = body.indexOf(ref, i + 1)) {
      int end = i + ref.length();
      if (end == body.length() || !nameChar(body.charAt(end))) return true;
    }
    return false;
  }

  private static boolean nameChar(char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  }
}
