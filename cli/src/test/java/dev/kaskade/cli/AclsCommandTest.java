package dev.kaskade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kaskade.schemas.kafka.AclLayout;
import dev.kaskade.schemas.topic.Topics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AclsCommandTest {
  @Test
  void printsKafkaAclsCommandsForComponentsAndTenants() {
    List<String> lines =
        AclsCommand.lines(new AclLayout(Topics.withDefaultPrefix()), Map.of("tenant-a", "team-a"));

    assertThat(lines)
        .contains("# User:kaskade-gateway", "# User:tenant-a (namespace team-a)")
        .contains(
            "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties"
                + " --add --deny-principal User:kaskade-gateway --operation Write --topic"
                + " 'kaskade.audit.' --resource-pattern-type prefixed")
        .contains(
            "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties"
                + " --add --allow-principal User:tenant-a --operation Read --topic"
                + " 'kaskade.team-a.' --resource-pattern-type prefixed")
        .contains(
            "kafka-acls.sh --bootstrap-server \"$BOOTSTRAP\" --command-config admin.properties"
                + " --add --allow-principal User:kaskade-registry --operation DescribeConfigs"
                + " --topic '_schemas' --resource-pattern-type literal");
  }
}
