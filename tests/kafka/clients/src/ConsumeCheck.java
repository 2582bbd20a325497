// Real Kafka consumers configured from cdx's files, for the cdx real-broker tests.
//
// Usage: java -cp '<client jars>/*:<classes>' ConsumeCheck < jobs
// Each input line is one job, tab-separated:
//   <format> <config file> <CA file> <topic> <records wanted> <timeout ms> [<group.id override>]
// format "java": the file is read as Kafka's tools read a .properties file (Utils.loadProps);
// format "spring-boot": Spring Boot's own Binder binds the file (an application.properties) to
// KafkaProperties, whose buildConsumerProperties() gives the consumer's configuration.
// Either way the only settings added are test-only: the throwaway CA as the trust store
// (ssl.truststore.type=PEM), byte-array deserializers and auto.offset.reset=earliest.
// Each job prints one JSON line: strings as the hex of their UTF-8 bytes.
//   {"ok":true,"group":"<hex>","first_at":<epoch ms of the first record>,"records":[{"p":0,"o":0,"k":"<hex>"|null,"v":"<hex>"}]}
//   {"ok":false,"error":"<exception class simple name>","message":"<hex>","records":n}
// A job stops at the first exception (e.g. GroupAuthorizationException), when it has the records
// wanted, or at its timeout ("error":"Timeout").

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

public final class ConsumeCheck {
    private ConsumeCheck() {}

    static final HexFormat HEX = HexFormat.of();

    static String hex(String s) {
        return HEX.formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> javaConfig(String path) throws Exception {
        Properties props = Utils.loadProps(path);
        Map<String, Object> config = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            config.put(name, props.getProperty(name));
        }
        return config;
    }

    static Map<String, Object> springBootConfig(String path) throws Exception {
        StandardEnvironment env = new StandardEnvironment();
        for (PropertySource<?> source : new PropertiesPropertySourceLoader().load("cdx", new FileSystemResource(path))) {
            env.getPropertySources().addFirst(source);
        }
        KafkaProperties kafka = new Binder(ConfigurationPropertySources.get(env))
                .bind("spring.kafka", KafkaProperties.class)
                .orElseGet(KafkaProperties::new);
        return new HashMap<>(kafka.buildConsumerProperties());
    }

    static String run(String[] job) {
        int seen = 0;
        try {
            Map<String, Object> config = job[0].equals("spring-boot") ? springBootConfig(job[1]) : javaConfig(job[1]);
            if (job.length > 6) {
                config.put("group.id", job[6]);
            }
            // Test-only: the throwaway CA. Confluent Cloud's certificates chain to public CAs.
            config.put("ssl.truststore.type", "PEM");
            config.put("ssl.truststore.location", job[2]);
            config.put("key.deserializer", ByteArrayDeserializer.class.getName());
            config.put("value.deserializer", ByteArrayDeserializer.class.getName());
            config.put("auto.offset.reset", "earliest");
            int wanted = Integer.parseInt(job[4]);
            long deadline = System.currentTimeMillis() + Long.parseLong(job[5]);
            StringBuilder records = new StringBuilder();
            long firstAt = -1;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of(job[3]));
                while (seen < wanted) {
                    if (System.currentTimeMillis() > deadline) {
                        return "{\"ok\":false,\"error\":\"Timeout\",\"message\":\"\",\"records\":" + seen + "}";
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (firstAt < 0) {
                            firstAt = System.currentTimeMillis();
                        }
                        if (seen++ > 0) {
                            records.append(',');
                        }
                        records.append("{\"p\":").append(r.partition())
                                .append(",\"o\":").append(r.offset())
                                .append(",\"k\":").append(r.key() == null ? "null" : "\"" + HEX.formatHex(r.key()) + "\"")
                                .append(",\"v\":\"").append(HEX.formatHex(r.value())).append("\"}");
                    }
                }
                consumer.commitSync();
            }
            return "{\"ok\":true,\"group\":\"" + hex(String.valueOf(config.get("group.id")))
                    + "\",\"first_at\":" + firstAt + ",\"records\":[" + records + "]}";
        } catch (Exception e) {
            return "{\"ok\":false,\"error\":\"" + e.getClass().getSimpleName() + "\",\"message\":\""
                    + hex(String.valueOf(e.getMessage())) + "\",\"records\":" + seen + "}";
        }
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (!line.isEmpty()) {
                System.out.println(run(line.split("\t")));
                System.out.flush();
            }
        }
    }
}
