package dev.kaskade.workers.storage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kaskade.workers.storage.StorageException.Kind;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code hf://<org>/<repo>[@revision]} (also KServe's {@code :revision}) through the Hugging Face
 * hub's HTTP API: {@code GET {endpoint}/api/models/{repo}/revision/{rev}?blobs=true} lists the
 * files with their sizes and hashes, then each file comes from {@code
 * {endpoint}/{repo}/resolve/{commit}/{file}}, pinned to the commit the listing answered with, so a
 * push during the download cannot mix two revisions. LFS files are checked against their sha256,
 * the others against their git blob id (SHA-1 of {@code "blob <size>\0" + bytes}).
 *
 * <p>Settings from the worker's environment: {@code HF_ENDPOINT} (a mirror; default {@value
 * #DEFAULT_ENDPOINT}) and {@code HF_TOKEN} (or {@code HUGGING_FACE_HUB_TOKEN}), sent only to the
 * endpoint's host.
 */
final class HfFetcher {
  static final String DEFAULT_ENDPOINT = "https://huggingface.co";
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private HfFetcher() {}

  /** A parsed {@code hf://} URI. */
  record Ref(String repo, String revision) {
    static Ref parse(String uri) throws StorageException {
      String rest = uri.replaceAll("#.*$", "").substring("hf://".length());
      while (rest.endsWith("/")) {
        rest = rest.substring(0, rest.length() - 1);
      }
      String revision = "main";
      int at = rest.indexOf('@');
      int colon = rest.indexOf(':');
      int cut = at >= 0 ? at : colon;
      if (cut >= 0) {
        revision = rest.substring(cut + 1);
        rest = rest.substring(0, cut);
      }
      String[] parts = rest.split("/", -1);
      boolean valid = parts.length == 2 || parts.length == 1;
      for (String p : parts) {
        valid &= PART.matcher(p).matches() && !p.contains("..");
      }
      if (!valid || revision.isBlank() || revision.contains("..")) {
        throw new StorageException(
            Kind.INVALID_URI, "hf:// URI must be hf://<org>/<repo>[@revision]: " + Redact.uri(uri));
      }
      return new Ref(rest, revision);
    }
  }

  static String endpoint(StorageSettings settings) {
    String e = settings.env().apply("HF_ENDPOINT");
    e = e == null || e.isBlank() ? DEFAULT_ENDPOINT : e.trim();
    return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
  }

  private static String token(StorageSettings settings) {
    String t = settings.env().apply("HF_TOKEN");
    if (t == null || t.isBlank()) {
      t = settings.env().apply("HUGGING_FACE_HUB_TOKEN");
    }
    return t == null || t.isBlank() ? null : t.trim();
  }

  private record HubFile(String name, long size, String sha256, String blobId) {}

  static Path fetch(String uri, Path content, StorageSettings settings) throws StorageException {
    Ref ref = Ref.parse(uri);
    String endpoint = endpoint(settings);
    URI base = URI.create(endpoint + "/");
    if (!"https".equalsIgnoreCase(base.getScheme()) && !HostGuard.isLoopback(base)) {
      StorageInitializer.requireIntegrity(endpoint, null, settings.policy());
    }
    String token = token(settings);
    Map<String, String> auth =
        token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
    ApiHttp http = new ApiHttp(settings);
    String what = "Hugging Face hub " + Redact.uri(base) + " model " + ref.repo();
    JsonNode info =
        http.json(
            base.resolve(
                "api/models/" + ref.repo() + "/revision/" + encode(ref.revision()) + "?blobs=true"),
            auth,
            what + " revision " + ref.revision());
    String commit = info.path("sha").asText(ref.revision());
    List<HubFile> files = files(info);
    if (files.isEmpty()) {
      throw new StorageException(Kind.NOT_FOUND, what + " has no files at " + ref.revision());
    }
    Limits.Budget budget = budget(uri, files, settings.policy());
    for (HubFile f : files) {
      Path out = content.resolve(f.name()).normalize();
      if (!out.startsWith(content)) {
        throw new StorageException(Kind.INVALID_URI, what + ": file " + f.name() + " escapes");
      }
      URI source =
          base.resolve(ref.repo() + "/resolve/" + encode(commit) + "/" + encodePath(f.name()));
      boolean lfs = f.sha256() != null;
      String got =
          http.download(
              source,
              auth,
              out,
              budget,
              lfs ? "SHA-256" : "SHA-1",
              lfs || f.blobId() == null
                  ? null
                  : ("blob " + f.size() + "\0").getBytes(StandardCharsets.UTF_8),
              "GET " + f.name() + " of " + what);
      String expected = lfs ? f.sha256() : f.blobId();
      if (expected != null && !expected.equalsIgnoreCase(got)) {
        throw new StorageException(
            Kind.CHECKSUM_MISMATCH,
            what
                + ": "
                + f.name()
                + (lfs ? " sha256 " : " git blob id ")
                + got
                + " differs from the hub's "
                + expected);
      }
    }
    return content;
  }

  private static List<HubFile> files(JsonNode info) {
    List<HubFile> files = new ArrayList<>();
    for (JsonNode s : info.path("siblings")) {
      String name = s.path("rfilename").asText("");
      if (name.isEmpty() || name.equals(".gitattributes")) {
        continue;
      }
      JsonNode lfs = s.path("lfs");
      files.add(
          new HubFile(
              name,
              lfs.isObject() ? lfs.path("size").asLong(-1) : s.path("size").asLong(-1),
              lfs.isObject() ? text(lfs, "sha256") : null,
              s.has("size") ? text(s, "blobId") : null));
    }
    return files;
  }

  private static Limits.Budget budget(String uri, List<HubFile> files, StoragePolicy policy)
      throws StorageException {
    Limits.Budget budget =
        new Limits.Budget(
            "download size", policy.maxDownloadBytes(), StoragePolicy.MAX_DOWNLOAD_BYTES);
    try {
      if (files.size() > policy.maxEntries()) {
        throw new Limits.Exceeded(
            "file count (" + files.size() + ")", policy.maxEntries(), StoragePolicy.MAX_ENTRIES);
      }
      budget.expect(files.stream().mapToLong(f -> Math.max(0, f.size())).sum());
    } catch (Limits.Exceeded e) {
      throw Limits.toStorage(e, uri);
    }
    return budget;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodePath(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      parts.add(encode(p));
    }
    return String.join("/", parts);
  }
}
