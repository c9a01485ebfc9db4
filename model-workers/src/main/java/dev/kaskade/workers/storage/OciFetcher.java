package dev.kaskade.workers.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code oci://registry[:port]/repository:tag} or {@code …@sha256:<hex>}: a model image pulled with
 * the OCI distribution API (no Java client for it is maintained on Maven Central, so this is a
 * small one on {@code java.net.http}). The manifest (an image index picks linux/amd64, else its
 * first entry) names the layers; each blob is downloaded, its sha256 checked against its digest,
 * then tar layers are unpacked in order and other layers (ORAS artifacts) are saved under their
 * {@code org.opencontainers.image.title}. When the image holds {@code /models} (KServe's modelcar
 * layout) that directory is the model.
 *
 * <p>Registries answering 401 with a {@code Bearer} challenge get a token from the realm,
 * anonymously or with {@code OCI_USERNAME}/{@code OCI_PASSWORD} from the worker's environment. The
 * registry is reached over https, or plain http when it is a loopback address or listed in {@code
 * OCI_INSECURE_REGISTRIES} (comma separated host:port).
 */
final class OciFetcher {
  static final String MANIFEST_TYPES =
      String.join(
          ", ",
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");
  private static final Pattern REF =
      Pattern.compile(
          "oci://([A-Za-z0-9.-]+(?::[0-9]+)?)/([a-z0-9]+(?:[._/-][a-z0-9]+)*)"
              + "(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(sha256:[0-9a-f]{64}))?");
  private static final Pattern CHALLENGE = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private OciFetcher() {}

  /**
   * A parsed {@code oci://} reference; {@code reference} is the digest when given, else the tag.
   */
  record Ref(String registry, String repository, String reference) {
    static Ref parse(String uri) throws StorageException {
      Matcher m = REF.matcher(uri.replaceAll("#.*$", ""));
      if (!m.matches()) {
        throw new StorageException(
            Kind.INVALID_URI,
            "oci:// URI must be oci://registry/repository:tag or …@sha256:<digest>: "
                + Redact.uri(uri));
      }
      String reference =
          m.group(4) != null ? m.group(4) : m.group(3) != null ? m.group(3) : "latest";
      return new Ref(m.group(1), m.group(2), reference);
    }
  }

  static Path fetch(String uri, Path content, StorageSettings settings) throws StorageException {
    Ref ref = Ref.parse(uri);
    URI base = base(ref, settings);
    Session session = new Session(new ApiHttp(settings), settings, ref);
    String what = "OCI image " + ref.registry() + "/" + ref.repository() + ":" + ref.reference();
    JsonNode manifest = session.manifest(base, ref.reference(), what);
    if (manifest.has("manifests")) {
      manifest = session.manifest(base, pick(manifest, what), what);
    }
    List<JsonNode> layers = new ArrayList<>();
    manifest.path("layers").forEach(layers::add);
    if (layers.isEmpty()) {
      throw new StorageException(Kind.NOT_FOUND, what + " has no layers");
    }
    Limits.Budget budget = budget(uri, layers, settings.policy());
    Path blobs = content.resolveSibling("blobs");
    try {
      for (JsonNode layer : layers) {
        Path blob = session.blob(base, layer, blobs, budget, what);
        unpackLayer(layer, blob, content, settings.policy());
        Files.delete(blob);
      }
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    } catch (IOException e) {
      throw new StorageException(Kind.IO, what + ": cannot unpack a layer: " + e.getMessage(), e);
    }
    Path models = content.resolve("models");
    return Files.isDirectory(models) ? models : content;
  }

  private static URI base(Ref ref, StorageSettings settings) throws StorageException {
    URI http = URI.create("http://" + ref.registry() + "/v2/");
    String insecure = settings.env().apply("OCI_INSECURE_REGISTRIES");
    boolean listed =
        insecure != null
            && List.of(insecure.toLowerCase(Locale.ROOT).split("\\s*,\\s*"))
                .contains(ref.registry().toLowerCase(Locale.ROOT));
    URI base =
        listed || HostGuard.isLoopback(http)
            ? http
            : URI.create("https://" + ref.registry() + "/v2/");
    HostGuard.check(base, settings.policy());
    return base;
  }

  private static String pick(JsonNode index, String what) throws StorageException {
    JsonNode chosen = null;
    for (JsonNode m : index.path("manifests")) {
      JsonNode p = m.path("platform");
      if (chosen == null
          || ("linux".equals(p.path("os").asText())
              && "amd64".equals(p.path("architecture").asText()))) {
        chosen = m;
      }
    }
    if (chosen == null || !chosen.path("digest").asText().startsWith("sha256:")) {
      throw new StorageException(Kind.NOT_FOUND, what + ": image index lists no usable manifest");
    }
    return chosen.path("digest").asText();
  }

  private static Limits.Budget budget(String uri, List<JsonNode> layers, StoragePolicy policy)
      throws StorageException {
    Limits.Budget budget =
        new Limits.Budget(
            "download size", policy.maxDownloadBytes(), StoragePolicy.MAX_DOWNLOAD_BYTES);
    try {
      if (layers.size() > policy.maxEntries()) {
        throw new Limits.Exceeded(
            "layer count (" + layers.size() + ")", policy.maxEntries(), StoragePolicy.MAX_ENTRIES);
      }
      budget.expect(layers.stream().mapToLong(l -> Math.max(0, l.path("size").asLong())).sum());
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    }
    return budget;
  }

  private static void unpackLayer(JsonNode layer, Path blob, Path content, StoragePolicy policy)
      throws IOException {
    String type = layer.path("mediaType").asText("");
    String title = layer.path("annotations").path("org.opencontainers.image.title").asText("");
    if (type.contains("tar")) {
      Archives.unpack(
          type.endsWith("gzip") ? Archives.Type.TAR_GZ : Archives.Type.TAR, blob, content, policy);
      return;
    }
    if (title.isEmpty()) {
      throw new IOException(
          "layer " + layer.path("digest").asText() + " (" + type + ") has no title");
    }
    Path out = content.resolve(title).normalize();
    if (!out.startsWith(content)) {
      throw new IOException("layer title " + title + " escapes the model directory");
    }
    Files.createDirectories(out.getParent());
    Files.copy(blob, out);
  }

  /** One pull: the registry's bearer token, fetched on the first 401, is kept for the rest. */
  private static final class Session {
    private final ApiHttp http;
    private final StorageSettings settings;
    private final Ref ref;
    private String token;

    Session(ApiHttp http, StorageSettings settings, Ref ref) {
      this.http = http;
      this.settings = settings;
      this.ref = ref;
    }

    JsonNode manifest(URI base, String reference, String what) throws StorageException {
      URI uri = base.resolve(ref.repository() + "/manifests/" + reference);
      Map<String, String> headers = headers();
      headers.put("Accept", MANIFEST_TYPES);
      try {
        return http.json(uri, headers, what + " manifest");
      } catch (StorageException e) {
        if (token != null || e.kind() != Kind.ACCESS_DENIED) {
          throw e;
        }
        authenticate(uri, what);
        Map<String, String> retry = headers();
        retry.put("Accept", MANIFEST_TYPES);
        return http.json(uri, retry, what + " manifest");
      }
    }

    Path blob(URI base, JsonNode layer, Path dir, Limits.Budget budget, String what)
        throws StorageException {
      String digest = layer.path("digest").asText("");
      if (!digest.matches("sha256:[0-9a-f]{64}")) {
        throw new StorageException(
            Kind.INVALID_URI, what + ": layer digest '" + digest + "' is not sha256");
      }
      Path file = dir.resolve(digest.substring("sha256:".length()));
      String got =
          http.download(
              base.resolve(ref.repository() + "/blobs/" + digest),
              headers(),
              file,
              budget,
              "SHA-256",
              null,
              "GET layer " + digest + " of " + what);
      if (!digest.equals("sha256:" + got)) {
        throw new StorageException(
            Kind.CHECKSUM_MISMATCH, what + ": layer " + digest + " has sha256 " + got);
      }
      return file;
    }

    private Map<String, String> headers() {
      Map<String, String> h = new LinkedHashMap<>();
      if (token != null) {
        h.put("Authorization", "Bearer " + token);
      }
      return h;
    }

    /** Reads the {@code WWW-Authenticate: Bearer realm=…,service=…,scope=…} of a 401 and asks. */
    private void authenticate(URI uri, String what) throws StorageException {
      String challenge = challenge(uri, what);
      Map<String, String> params = new LinkedHashMap<>();
      Matcher m = CHALLENGE.matcher(challenge);
      while (m.find()) {
        params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
      }
      String realm = params.get("realm");
      if (realm == null) {
        throw new StorageException(Kind.ACCESS_DENIED, what + ": registry refused, no token realm");
      }
      String scope = params.getOrDefault("scope", "repository:" + ref.repository() + ":pull");
      URI tokenUri =
          URI.create(
              realm
                  + (realm.contains("?") ? "&" : "?")
                  + "scope="
                  + URLEncoder.encode(scope, StandardCharsets.UTF_8)
                  + (params.containsKey("service")
                      ? "&service="
                          + URLEncoder.encode(params.get("service"), StandardCharsets.UTF_8)
                      : ""));
      Map<String, String> basic = new LinkedHashMap<>();
      String user = settings.env().apply("OCI_USERNAME");
      String password = settings.env().apply("OCI_PASSWORD");
      if (user != null && password != null) {
        basic.put(
            "Authorization",
            "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
      }
      JsonNode answer = http.json(tokenUri, basic, what + ": token from " + Redact.uri(tokenUri));
      String t = answer.path("token").asText(answer.path("access_token").asText(""));
      if (t.isEmpty()) {
        throw new StorageException(Kind.ACCESS_DENIED, what + ": the token realm gave no token");
      }
      token = t;
    }

    private String challenge(URI uri, String what) throws StorageException {
      try {
        var response =
            java.net.http.HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .build()
                .send(
                    java.net.http.HttpRequest.newBuilder(uri)
                        .timeout(settings.readTimeout())
                        .header("Accept", MANIFEST_TYPES)
                        .GET()
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        return response.headers().firstValue("WWW-Authenticate").orElse("");
      } catch (IOException e) {
        throw new StorageException(Kind.IO, what + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StorageException(Kind.IO, what + " interrupted", e);
      }
    }
  }
}
