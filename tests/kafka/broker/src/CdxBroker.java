// One Apache Kafka node (KRaft, broker and controller) for the cdx real-broker tests, plus the
// provider's admin actions, in one JVM so that a test run pays for one start-up.
//
// Usage: java -Dcdx.credentials=<file> -cp '<broker jars>/*:<classes>' CdxBroker <server.properties>
// It formats the log directory, starts the node, connects an Admin client and a producer to the
// PLAINTEXT internal listener (ANONYMOUS, a super user), prints `ready`, then serves one command
// per line on standard input and answers each with one line, `ok [...]` or `err <hex message>`.
// Arguments are hex of UTF-8 so that any name fits on a line:
//   topic <name> <partitions>                  create a topic
//   produce <topic> <key or -> <value>          produce one record (value: raw bytes), wait for the ack
//   grant <user> <topic,topic,...> <group prefix>
//                                               READ+DESCRIBE on each topic (LITERAL), READ on
//                                               groups with the prefix (PREFIXED), for User:<user>
//   revoke <user>                               delete every ACL of User:<user>
// End of standard input (the test process exited or dropped its handle) stops the JVM at once, so
// a test that panics never leaves a broker behind.

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Time;

public final class CdxBroker {
    private CdxBroker() {}

    static final HexFormat HEX = HexFormat.of();

    static String text(String hex) {
        return new String(HEX.parseHex(hex), StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        // The harness closing our stdin means it is gone: stop at once.
        Properties props = new Properties();
        try (FileInputStream in = new FileInputStream(args[0])) {
            props.load(in);
        }
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "-t", props.getProperty("cdx.cluster.id"), "-c", args[0], "--standalone"},
                System.err);
        if (formatted != 0) {
            System.out.println("err " + HEX.formatHex("formatting the log directory failed".getBytes(StandardCharsets.UTF_8)));
            Runtime.getRuntime().halt(1);
        }
        props.remove("cdx.cluster.id");
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        server.startup();

        Map<String, Object> internal = Map.of("bootstrap.servers", props.getProperty("cdx.internal.bootstrap"));
        Admin admin = Admin.create(internal);
        Properties producerProps = new Properties();
        producerProps.putAll(internal);
        producerProps.put("acks", "all");
        producerProps.put("linger.ms", "0");
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        // The node answers metadata once its broker side is up.
        admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        System.out.println("ready");
        System.out.flush();

        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null) {
            String answer;
            try {
                answer = "ok" + run(admin, producer, line.trim().split(" "));
            } catch (Exception e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                answer = "err " + HEX.formatHex(String.valueOf(cause).getBytes(StandardCharsets.UTF_8));
            }
            System.out.println(answer);
            System.out.flush();
        }
        Runtime.getRuntime().halt(0);
    }

    static String run(Admin admin, KafkaProducer<byte[], byte[]> producer, String[] cmd) throws Exception {
        switch (cmd[0]) {
            case "topic": {
                NewTopic topic = new NewTopic(text(cmd[1]), Optional.of(Integer.parseInt(cmd[2])), Optional.empty());
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                return "";
            }
            case "produce": {
                byte[] key = cmd[2].equals("-") ? null : HEX.parseHex(cmd[2]);
                var meta = producer.send(new ProducerRecord<>(text(cmd[1]), key, HEX.parseHex(cmd[3])))
                        .get(30, TimeUnit.SECONDS);
                return " " + meta.partition() + " " + meta.offset();
            }
            case "grant": {
                String principal = "User:" + text(cmd[1]);
                List<AclBinding> acls = new ArrayList<>();
                for (String topic : cmd[2].split(",")) {
                    if (topic.isEmpty()) {
                        continue;
                    }
                    ResourcePattern pattern = new ResourcePattern(ResourceType.TOPIC, text(topic), PatternType.LITERAL);
                    acls.add(allow(pattern, principal, AclOperation.READ));
                    acls.add(allow(pattern, principal, AclOperation.DESCRIBE));
                }
                ResourcePattern groups = new ResourcePattern(ResourceType.GROUP, text(cmd[3]), PatternType.PREFIXED);
                acls.add(allow(groups, principal, AclOperation.READ));
                admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
                awaitAcls(admin, principal, acls.size());
                return "";
            }
            case "revoke": {
                AclBindingFilter filter = new AclBindingFilter(
                        ResourcePatternFilter.ANY,
                        new AccessControlEntryFilter("User:" + text(cmd[1]), null, AclOperation.ANY, AclPermissionType.ANY));
                int n = admin.deleteAcls(List.of(filter)).all().get(30, TimeUnit.SECONDS).size();
                awaitAcls(admin, "User:" + text(cmd[1]), 0);
                return " " + n;
            }
            default:
                throw new IllegalArgumentException("unknown command " + cmd[0]);
        }
    }

    /** Waits until the broker's own authorizer (which answers DescribeAcls) holds `count` ACLs
     *  of `principal`: the controller commits ACL changes before the broker applies them, and a
     *  test's next client must meet the new rules. */
    static void awaitAcls(Admin admin, String principal, int count) throws Exception {
        AclBindingFilter filter = new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        long deadline = System.currentTimeMillis() + 30_000;
        while (admin.describeAcls(filter).values().get(30, TimeUnit.SECONDS).size() != count) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the broker did not apply the ACL change of " + principal);
            }
            Thread.sleep(20);
        }
    }

    static AclBinding allow(ResourcePattern pattern, String principal, AclOperation op) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
