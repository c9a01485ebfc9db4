package dev.kaskade.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the members a killed {@code kaskade up} left in the consumer groups of its embedded
 * broker, before any component joins.
 *
 * <p>Why: the broker restores the groups with their members from {@code __consumer_offsets}, and a
 * new member's join then waits until every old member either rejoins or misses its session timeout
 * (45 s): after {@code kill -9} every Streams application, the audit sink and the workers stalled
 * that long, and {@code up} was ready after about 60 s instead of 11. The embedded broker is
 * started by this process on a data dir only one {@code up} may use, so no member present at start
 * can be alive: removing them all (KIP-518) lets the first join complete at once. See
 * docs/operations.md ("Restart after a crash") for why this and not static membership.
 *
 * <p>The group coordinator loads {@code __consumer_offsets} after the broker answers, and until a
 * partition is loaded {@code ListGroups} silently leaves its groups out (a partition the
 * coordinator does not lead yet counts as "no groups"). So the list is taken only once every
 * partition's coordinator has answered a describe.
 */
final class StaleGroupMembers {
  private static final Logger LOG = LoggerFactory.getLogger(StaleGroupMembers.class);
  private static final long TIMEOUT_S = 10;

  /** How long the coordinator may take to load the offsets after a restart (a slow machine). */
  private static final long LOAD_TIMEOUT_S = 60;

  private static final String PROBE_PREFIX = "kaskade-coordinator-probe-";

  private StaleGroupMembers() {}

  /** Removes every member of every consumer group; returns how many groups had some. */
  static int evict(Admin admin) {
    try {
      OptionalInt partitions = offsetsTopicPartitions(admin);
      if (partitions.isEmpty()) {
        return 0; // no group has ever committed or joined on this broker
      }
      awaitCoordinatorsLoaded(admin, partitions.getAsInt());
      List<String> groups =
          admin
              .listGroups(ListGroupsOptions.forConsumerGroups())
              .all()
              .get(TIMEOUT_S, SECONDS)
              .stream()
              .map(GroupListing::groupId)
              .toList();
      if (groups.isEmpty()) {
        return 0;
      }
      // All removals in flight at once: one round trip each, instead of one after the other.
      Map<String, KafkaFuture<Void>> removals = new HashMap<>();
      for (ConsumerGroupDescription group :
          admin.describeConsumerGroups(groups).all().get(TIMEOUT_S, SECONDS).values()) {
        if (!group.members().isEmpty()) {
          RemoveMembersFromConsumerGroupOptions all = new RemoveMembersFromConsumerGroupOptions();
          all.reason("member of a kaskade up that did not stop cleanly");
          removals.put(
              group.groupId(), admin.removeMembersFromConsumerGroup(group.groupId(), all).all());
        }
      }
      if (removals.isEmpty()) {
        return 0;
      }
      KafkaFuture.allOf(removals.values().toArray(KafkaFuture[]::new)).get(TIMEOUT_S, SECONDS);
      LOG.info("removed the stale members of groups {}", removals.keySet());
      return removals.size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while clearing stale group members");
    } catch (ExecutionException | TimeoutException e) {
      // Not fatal: the components still start, only later (after the session timeout).
      LOG.warn("could not clear stale group members: {}", e.toString());
      return 0;
    }
  }

  /**
   * One group id per partition of {@code __consumer_offsets}, index = partition, chosen the way the
   * coordinator places groups ({@code abs(groupId.hashCode()) % partitions}).
   */
  static List<String> probeGroupIds(int partitions) {
    String[] byPartition = new String[partitions];
    int covered = 0;
    for (int i = 0; covered < partitions; i++) {
      String id = PROBE_PREFIX + i;
      int partition = Utils.abs(id.hashCode()) % partitions;
      if (byPartition[partition] == null) {
        byPartition[partition] = id;
        covered++;
      }
    }
    return List.of(byPartition);
  }

  private static OptionalInt offsetsTopicPartitions(Admin admin)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return OptionalInt.of(
          admin
              .describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME))
              .allTopicNames()
              .get(TIMEOUT_S, SECONDS)
              .get(Topic.GROUP_METADATA_TOPIC_NAME)
              .partitions()
              .size());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return OptionalInt.empty();
      }
      throw e;
    }
  }

  /**
   * Describes one group on each offsets partition: the admin client retries while that partition's
   * coordinator is not elected or still loading, so once all have answered every group is listed.
   */
  private static void awaitCoordinatorsLoaded(Admin admin, int partitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + SECONDS.toNanos(LOAD_TIMEOUT_S);
    for (KafkaFuture<ConsumerGroupDescription> probe :
        admin.describeConsumerGroups(probeGroupIds(partitions)).describedGroups().values()) {
      try {
        probe.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
          throw e;
        }
      }
    }
  }

  private static final TimeUnit SECONDS = TimeUnit.SECONDS;
}
