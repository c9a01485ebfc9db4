package dev.kaskade.gateway.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's static files, read once from the jar ({@code kaskade-console/} on the classpath):
 * {@code /ui} and each page's path answer the single page, {@code /ui/assets/<file>} the scripts
 * and styles. No Node.js at build or run time: the pages are plain HTML, JavaScript and SVG.
 */
public final class ConsoleAssets {
  static final String ROOT = "kaskade-console/";
  static final List<String> FILES = List.of("index.html", "console.js", "charts.js", "console.css");

  /** Paths under /ui that are pages of the single-page console (bookmarkable, shareable). */
  public static final Set<String> PAGES = Set.of("models", "traffic", "drift", "audit", "graphs");

  private final Map<String, Buffer> files = new LinkedHashMap<>();

  public ConsoleAssets() {
    for (String name : FILES) {
      try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
        if (in == null) {
          throw new IllegalStateException("console asset missing from the jar: " + ROOT + name);
        }
        files.put(name, Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public void mount(Router router) {
    router.get("/ui").handler(rc -> page(rc));
    router.get("/ui/").handler(rc -> page(rc));
    router
        .get("/ui/:page")
        .handler(
            rc -> {
              if (PAGES.contains(rc.pathParam("page"))) {
                page(rc);
              } else {
                rc.next();
              }
            });
    router
        .get("/ui/assets/:file")
        .handler(
            rc -> {
              Buffer body = files.get(rc.pathParam("file"));
              if (body == null || rc.pathParam("file").equals("index.html")) {
                rc.next();
                return;
              }
              send(rc, contentType(rc.pathParam("file")), body);
            });
  }

  private void page(RoutingContext rc) {
    send(rc, "text/html; charset=utf-8", files.get("index.html"));
  }

  static String contentType(String file) {
    if (file.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (file.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "text/html; charset=utf-8";
  }

  private static void send(RoutingContext rc, String type, Buffer body) {
    rc.response()
        .putHeader("content-type", type)
        .putHeader("cache-control", "no-cache")
        .putHeader("x-content-type-options", "nosniff")
        .putHeader(
            "content-security-policy",
            "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'")
        .end(body);
  }
}
