package dev.kaskade.cli;

import dev.kaskade.schemas.kafka.AclLayout;
import dev.kaskade.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.ResourceType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kaskade acls}: the least-privilege ACLs of every component principal ({@link AclLayout}),
 * and of tenants given with {@code --tenant}, as {@code kafka-acls.sh} commands for a cluster
 * install (docs/security.md#component-acls).
 */
@Command(
    name = "acls",
    description =
        "Print the Kafka ACLs of Kaskade's component principals (and of --tenant principals) as"
            + " kafka-acls.sh commands.")
final class AclsCommand implements Runnable {
  @Option(
      names = "--topic-prefix",
      defaultValue = "${env:KASKADE_TOPIC_PREFIX:-kaskade}",
      description = "Topic name prefix (env KASKADE_TOPIC_PREFIX).")
  String topicPrefix;

  @Option(
      names = "--tenant",
      paramLabel = "PRINCIPAL=NAMESPACE",
      description = "Also a tenant principal with rights in one namespace (repeatable).")
  Map<String, String> tenants = new LinkedHashMap<>();

  @Override
  public void run() {
    lines(new AclLayout(new Topics(topicPrefix)), tenants).forEach(System.out::println);
  }

  static List<String> lines(AclLayout layout, Map<String, String> tenants) {
    List<String> lines = new ArrayList<>();
    layout
        .components()
        .forEach(
            (principal, bindings) -> {
              lines.add("# User:" + principal);
              bindings.forEach(b -> lines.add(command(b)));
            });
    tenants.forEach(
        (principal, namespace) -> {
          lines.add("# User:" + principal + " (namespace " + namespace + ")");
          layout.tenant(principal, namespace).forEach(b -> lines.add(command(b)));
        });
    return lines;
  }

  /** One binding as a kafka-acls.sh command ($BOOTSTRAP and admin.properties left to the user). */
  static String command(AclBinding binding) {
    var entry = binding.entry();
    var pattern = binding.pattern();
    String resource =
        switch (pattern.resourceType()) {
          case TOPIC -> "--topic";
          case GROUP -> "--group";
          case TRANSACTIONAL_ID -> "--transactional-id";
          case CLUSTER -> "--cluster";
          default -> "--" + pattern.resourceType().name().toLowerCase(Locale.ROOT);
        };
    String permission =
        entry.permissionType() == AclPermissionType.DENY ? "--deny-principal" : "--allow-principal";
    return "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties --add "
        + permission
        + " "
        + entry.principal()
        + " --operation "
        + camel(entry.operation().name())
        + " "
        + resource
        + (pattern.resourceType() == ResourceType.CLUSTER ? "" : " '" + pattern.name() + "'")
        + " --resource-pattern-type "
        + pattern.patternType().name().toLowerCase(Locale.ROOT);
  }

  private static String camel(String constant) {
    StringBuilder out = new StringBuilder();
    for (String part : constant.split("_")) {
      out.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }
}
