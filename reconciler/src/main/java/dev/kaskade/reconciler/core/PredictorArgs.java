package dev.kaskade.reconciler.core;

import dev.kaskade.reconciler.model.ModelSpec;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The predictor container's {@code args} (KServe model server flags such as huggingfaceserver's
 * {@code --task=text_embedding}) as predictor parameters {@code args.<name>}, so in-process
 * backends honour the flags a KServe manifest sets. {@code --name=value} and {@code --name value}
 * give the value, a lone {@code --flag} gives {@code true}. Pure.
 */
final class PredictorArgs {
  static final String PREFIX = "args.";

  private PredictorArgs() {}

  static Map<String, String> parameters(ModelSpec model) {
    Object args = model.getAdditionalProperties().get("args");
    Map<String, String> out = new TreeMap<>();
    if (!(args instanceof List<?> list)) {
      return out;
    }
    List<String> flags = list.stream().map(String::valueOf).toList();
    for (int i = 0; i < flags.size(); i++) {
      String flag = flags.get(i);
      if (!flag.startsWith("--") || flag.length() == 2) {
        continue;
      }
      int eq = flag.indexOf('=');
      if (eq > 0) {
        out.put(PREFIX + flag.substring(2, eq), flag.substring(eq + 1));
      } else if (i + 1 < flags.size() && !flags.get(i + 1).startsWith("--")) {
        out.put(PREFIX + flag.substring(2), flags.get(++i));
      } else {
        out.put(PREFIX + flag.substring(2), "true");
      }
    }
    return out;
  }
}
