// The broker's SASL/PLAIN check for the cdx real-broker tests: credentials come from a file the
// test harness rewrites (atomically) whenever the simulator hands out or removes an API key, so
// users can be added while the broker runs. The file's path is the JVM system property
// `cdx.credentials`; each line is `<hex of the UTF-8 user name> <hex of the UTF-8 password>`, so
// any character (quotes, backslashes, spaces, non-ASCII) survives unchanged.

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;

public final class CdxPlainAuth implements AuthenticateCallbackHandler {
    @Override
    public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> jaas) {}

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback) {
                user = ((NameCallback) callback).getDefaultName();
            } else if (callback instanceof PlainAuthenticateCallback) {
                PlainAuthenticateCallback plain = (PlainAuthenticateCallback) callback;
                plain.authenticated(user != null && matches(user, new String(plain.password())));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    static boolean matches(String user, String password) throws IOException {
        HexFormat hex = HexFormat.of();
        byte[] wanted = password.getBytes(StandardCharsets.UTF_8);
        for (String line : Files.readAllLines(Paths.get(System.getProperty("cdx.credentials")))) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2
                    && new String(hex.parseHex(parts[0]), StandardCharsets.UTF_8).equals(user)) {
                return MessageDigest.isEqual(hex.parseHex(parts[1]), wanted);
            }
        }
        return false;
    }

    @Override
    public void close() {}
}
