package dev.kaskade.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.KafkaFuture;
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
 */
final class StaleGroupMembers {
  private static final Logger LOG = LoggerFactory.getLogger(StaleGroupMembers.class);
  private static final long TIMEOUT_S = 10;

  private StaleGroupMembers() {}

  /** Removes every member of every consumer group; returns how many groups had some. */
  static int evict(Admin admin) {
    try {
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

  private static final TimeUnit SECONDS = TimeUnit.SECONDS;
}
