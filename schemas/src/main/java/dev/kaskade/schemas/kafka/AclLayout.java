package dev.kaskade.schemas.kafka;

import dev.kaskade.schemas.topic.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The least-privilege Kafka ACLs of Kaskade's components and tenants (docs/security.md). Topic
 * names put the namespace right after the prefix ({@code kaskade.<ns>.<name>.requests}), and the
 * platform's own topics under fixed second segments ({@code kaskade.control.}, {@code
 * kaskade.gateway.}, {@code kaskade.audit.}, {@code kaskade.monitor.}, {@code kaskade.deadletter.},
 * and {@code kaskade._kaskade.}, which no Kubernetes namespace can be). Kafka ACLs match literal
 * names or prefixes only, so a component that serves every namespace is allowed the whole {@code
 * kaskade.} prefix for what it does there and DENY entries (which win over ALLOW) take the platform
 * prefixes it must not touch back out; a tenant is allowed only its namespace prefix {@code
 * kaskade.<ns>.}, for topics, consumer groups and transactional ids alike.
 */
public final class AclLayout {
  public static final String GATEWAY = "kaskade-gateway";
  public static final String WORKER = "kaskade-worker";
  public static final String PROCESSORS = "kaskade-processors";
  public static final String AUDIT_SINK = "kaskade-audit-sink";
  public static final String RECONCILER = "kaskade-reconciler";
  public static final String REGISTRY = "kaskade-registry";

  /** Every component principal, in start order. */
  public static final List<String> COMPONENTS =
      List.of(RECONCILER, REGISTRY, GATEWAY, WORKER, PROCESSORS, AUDIT_SINK);

  /** Consumer groups, Streams application and transactional ids of the components start so. */
  static final String GROUP_PREFIX = "kaskade-";

  private final String prefix;
  private final String schemasTopic;

  public AclLayout(Topics topics) {
    this.prefix = topics.prefix() + ".";
    this.schemasTopic = topics.schemas();
  }

  /** The ACLs of every component principal. */
  public Map<String, List<AclBinding>> components() {
    Map<String, List<AclBinding>> all = new LinkedHashMap<>();
    for (String component : COMPONENTS) {
      all.put(component, component(component));
    }
    return all;
  }

  /** The ACLs of one component principal ({@code User:<component>}). */
  public List<AclBinding> component(String component) {
    Rules r = new Rules(component);
    if (!component.equals(REGISTRY)) {
      r.allow(topicPrefix(prefix), AclOperation.DESCRIBE);
      r.allow(topicPrefix(control()), AclOperation.READ);
      r.allow(groupPrefix(GROUP_PREFIX), AclOperation.READ);
    }
    switch (component) {
      case RECONCILER -> {
        r.allow(topicPrefix(control()), AclOperation.WRITE);
        r.allow(topicPrefix(prefix), AclOperation.CREATE);
        r.allow(topicPrefix(prefix), AclOperation.DESCRIBE_CONFIGS);
        r.allow(topicPrefix(prefix), AclOperation.ALTER_CONFIGS);
      }
      case REGISTRY -> {
        for (AclOperation op :
            List.of(
                AclOperation.READ,
                AclOperation.WRITE,
                AclOperation.CREATE,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS)) {
          r.allow(topicLiteral(schemasTopic), op);
        }
      }
      case GATEWAY -> {
        // Writes requests of every namespace and generation cancels (control.cancel), reads its
        // replies and the routing table; never the resources or status of the control plane.
        r.allow(topicPrefix(prefix), AclOperation.WRITE);
        platformPrefixes().stream()
            .filter(p -> !p.equals(control()))
            .forEach(p -> r.deny(topicPrefix(p), AclOperation.WRITE));
        r.deny(topicLiteral(prefix + "control.resources"), AclOperation.WRITE);
        r.deny(topicLiteral(prefix + "control.status"), AclOperation.WRITE);
        r.allow(topicPrefix(gateway()), AclOperation.READ);
        r.allow(topicPrefix(gateway()), AclOperation.CREATE);
      }
      case WORKER -> {
        // Reads predictor topics, writes responses and replies; status for the control plane.
        r.allow(topicPrefix(prefix), AclOperation.READ);
        r.allow(topicPrefix(prefix), AclOperation.WRITE);
        r.deny(topicPrefix(prefix + "audit."), AclOperation.READ);
        r.deny(topicPrefix(prefix + "monitor."), AclOperation.READ);
        r.deny(topicLiteral(prefix + "control.resources"), AclOperation.WRITE);
        r.deny(topicPrefix(prefix + "audit."), AclOperation.WRITE);
        r.deny(topicPrefix(prefix + "monitor."), AclOperation.WRITE);
        r.deny(topicPrefix(internal()), AclOperation.WRITE);
      }
      case PROCESSORS -> {
        r.allow(topicPrefix(prefix), AclOperation.READ);
        r.allow(topicPrefix(prefix), AclOperation.WRITE);
        r.deny(topicLiteral(prefix + "control.resources"), AclOperation.WRITE);
        streamsInternals(r);
      }
      case AUDIT_SINK -> {
        r.allow(topicPrefix(prefix + "audit."), AclOperation.READ);
        r.allow(topicPrefix(prefix + "deadletter."), AclOperation.WRITE);
        // Publishes the signed chain heads (docs/security.md, "Audit signing and anchoring").
        r.allow(topicLiteral(prefix + "audit.anchors"), AclOperation.WRITE);
      }
      default -> throw new IllegalArgumentException("unknown component " + component);
    }
    return r.bindings;
  }

  /**
   * The ACLs of a tenant principal with rights in one namespace: read and write its topics, use
   * consumer groups and transactional ids named {@code kaskade.<ns>.…}; nothing else.
   */
  public List<AclBinding> tenant(String principal, String namespace) {
    Rules r = new Rules(principal);
    String own = prefix + namespace + ".";
    for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
      r.allow(topicPrefix(own), op);
    }
    r.allow(groupPrefix(own), AclOperation.READ);
    r.allow(
        new ResourcePattern(ResourceType.TRANSACTIONAL_ID, own, PatternType.PREFIXED),
        AclOperation.WRITE);
    return r.bindings;
  }

  private void streamsInternals(Rules r) {
    // Kafka Streams names its changelog and repartition topics <application.id>-…
    for (AclOperation op :
        List.of(
            AclOperation.CREATE,
            AclOperation.DELETE,
            AclOperation.READ,
            AclOperation.WRITE,
            AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS)) {
      r.allow(topicPrefix(GROUP_PREFIX), op);
    }
    r.allow(groupPrefix(GROUP_PREFIX), AclOperation.DESCRIBE);
    ResourcePattern transactions =
        new ResourcePattern(ResourceType.TRANSACTIONAL_ID, GROUP_PREFIX, PatternType.PREFIXED);
    r.allow(transactions, AclOperation.WRITE);
    r.allow(transactions, AclOperation.DESCRIBE);
  }

  private String control() {
    return prefix + "control.";
  }

  private String gateway() {
    return prefix + "gateway.";
  }

  /** Platform topics that sit where an InferenceService's would, such as the logger's anchor. */
  private String internal() {
    return prefix + "_kaskade.";
  }

  private List<String> platformPrefixes() {
    return List.of(
        control(),
        gateway(),
        prefix + "audit.",
        prefix + "monitor.",
        prefix + "deadletter.",
        internal());
  }

  private static ResourcePattern topicPrefix(String name) {
    return new ResourcePattern(ResourceType.TOPIC, name, PatternType.PREFIXED);
  }

  private static ResourcePattern topicLiteral(String name) {
    return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
  }

  private static ResourcePattern groupPrefix(String name) {
    return new ResourcePattern(ResourceType.GROUP, name, PatternType.PREFIXED);
  }

  /** Collects the bindings of one principal. */
  private final class Rules {
    final String principal;
    final List<AclBinding> bindings = new ArrayList<>();

    Rules(String user) {
      this.principal = "User:" + user;
    }

    void allow(ResourcePattern pattern, AclOperation op) {
      add(pattern, op, AclPermissionType.ALLOW);
    }

    void deny(ResourcePattern pattern, AclOperation op) {
      add(pattern, op, AclPermissionType.DENY);
    }

    private void add(ResourcePattern pattern, AclOperation op, AclPermissionType type) {
      bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", op, type)));
    }
  }
}
