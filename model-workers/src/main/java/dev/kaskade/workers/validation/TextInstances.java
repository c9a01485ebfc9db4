package dev.kaskade.workers.validation;

import dev.kaskade.schemas.error.KaskadeException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The texts of a V1 body {@code {"instances": ["…", …]}} (or {@code "inputs"}). Pure. */
final class TextInstances {
  private TextInstances() {}

  static List<String> parse(String body, String model) {
    Object instances;
    try {
      JsonObject json = new JsonObject(body);
      instances =
          json.containsKey("instances") ? json.getValue("instances") : json.getValue("inputs");
    } catch (DecodeException | ClassCastException e) {
      throw KaskadeException.invalid("the V1 body is not a JSON object: " + e.getMessage());
    }
    if (!(instances instanceof JsonArray array)) {
      throw KaskadeException.invalid(
          "model " + model + " expects \"instances\": a list of strings");
    }
    List<String> texts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String text)) {
        throw KaskadeException.invalid(
            "model "
                + model
                + " expects \"instances\" to be a list of strings; instance "
                + i
                + " is "
                + (array.getValue(i) == null
                    ? "null"
                    : array.getValue(i).getClass().getSimpleName()));
      }
      texts.add(text);
    }
    return texts;
  }
}
