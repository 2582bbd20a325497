// Reads Kafka client .properties files the way the Kafka Java client does, for the cdx config
// tests: java.util.Properties.load(InputStream) (ISO-8859-1 with backslash-u escapes, as Kafka's
// Utils.loadProps), then the sasl.jaas.config value through a java.io.StreamTokenizer set up
// exactly as Kafka's org.apache.kafka.common.security.JaasConfig sets it up, parsed by the same
// grammar: loginModuleClass controlFlag (optionName=optionValue)*;
//
// Usage: java ConfigCheck < paths    (one file path per line)
// Output: one JSON line per path, in order. Every string read from a file is written as the hex
// of its UTF-8 bytes, so the caller compares byte for byte:
//   {"ok":true,"props":{"<hex key>":"<hex value>",...},
//    "jaas":[{"module":"<hex>","flag":"REQUIRED","options":{"<hex>":"<hex>",...}},...]}
//   {"ok":false,"error":"<hex of the message>"}
// "jaas" is null when no property's key ends with "sasl.jaas.config".

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StreamTokenizer;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

public final class ConfigCheck {
    private ConfigCheck() {}

    static String hex(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }

    static String hexMap(Map<String, String> map) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(hex(e.getKey())).append("\":\"").append(hex(e.getValue())).append('"');
        }
        return out.append('}').toString();
    }

    /** A JAAS entry as Kafka's JaasConfig reads it. */
    static final class Entry {
        String module;
        String flag;
        Map<String, String> options = new TreeMap<>();
    }

    /** The tokenizer, configured call for call as in Kafka's JaasConfig constructor. */
    static StreamTokenizer kafkaJaasTokenizer(String value) {
        StreamTokenizer t = new StreamTokenizer(new StringReader(value));
        t.resetSyntax();
        t.wordChars(32, 128);
        t.wordChars(128 + 32, 255);
        t.ordinaryChar(';');
        t.ordinaryChar('=');
        t.whitespaceChars(0, ' ');
        t.commentChar('/');
        t.quoteChar('"');
        t.quoteChar('\'');
        t.slashSlashComments(true);
        t.slashStarComments(true);
        return t;
    }

    static String controlFlag(String flag) {
        if (flag == null) {
            throw new IllegalArgumentException("Login module control flag is not available in the JAAS config");
        }
        String upper = flag.toUpperCase(Locale.ROOT);
        switch (upper) {
            case "REQUIRED":
            case "REQUISITE":
            case "SUFFICIENT":
            case "OPTIONAL":
                return upper;
            default:
                throw new IllegalArgumentException("Invalid login module control flag '" + flag + "' in JAAS config");
        }
    }

    /** The grammar of JaasConfig: entries until end of input, each ended by ';'. */
    static List<Entry> parseJaas(String value) throws IOException {
        StreamTokenizer t = kafkaJaasTokenizer(value);
        List<Entry> entries = new ArrayList<>();
        while (t.nextToken() != StreamTokenizer.TT_EOF) {
            Entry entry = new Entry();
            entry.module = t.sval;
            if (t.nextToken() == StreamTokenizer.TT_EOF) {
                throw new IllegalArgumentException("Login module control flag not specified in JAAS config");
            }
            entry.flag = controlFlag(t.sval);
            while (t.nextToken() != StreamTokenizer.TT_EOF && t.ttype != ';') {
                String key = t.sval;
                if (t.nextToken() != '=' || t.nextToken() == StreamTokenizer.TT_EOF || t.sval == null) {
                    throw new IllegalArgumentException("Value not specified for key '" + key + "' in JAAS config");
                }
                entry.options.put(key, t.sval);
            }
            if (t.ttype != ';') {
                throw new IllegalArgumentException("JAAS config entry not terminated by semi-colon");
            }
            if (entry.module == null || entry.module.isEmpty()) {
                throw new IllegalArgumentException("LoginModule name must not be empty");
            }
            entries.add(entry);
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("Login module not specified in JAAS config");
        }
        return entries;
    }

    static String check(String path) throws IOException {
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            props.load(in);
        }
        Map<String, String> sorted = new TreeMap<>();
        String jaasValue = null;
        for (String key : props.stringPropertyNames()) {
            String value = props.getProperty(key);
            sorted.put(key, value);
            if (key.endsWith("sasl.jaas.config")) {
                jaasValue = value;
            }
        }
        StringBuilder out = new StringBuilder("{\"ok\":true,\"props\":").append(hexMap(sorted)).append(",\"jaas\":");
        if (jaasValue == null) {
            out.append("null");
        } else {
            out.append('[');
            boolean first = true;
            for (Entry e : parseJaas(jaasValue)) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append("{\"module\":\"").append(hex(e.module)).append("\",\"flag\":\"").append(e.flag)
                        .append("\",\"options\":").append(hexMap(e.options)).append('}');
            }
            out.append(']');
        }
        return out.append('}').toString();
    }

    public static void main(String[] args) throws IOException {
        BufferedReader paths = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder();
        for (String path = paths.readLine(); path != null; path = paths.readLine()) {
            if (path.isEmpty()) {
                continue;
            }
            try {
                out.append(check(path));
            } catch (RuntimeException | IOException e) {
                out.append("{\"ok\":false,\"error\":\"").append(hex(e.toString())).append("\"}");
            }
            out.append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }
}
