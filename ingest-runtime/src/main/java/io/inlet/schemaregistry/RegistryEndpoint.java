package io.inlet.schemaregistry;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a Confluent-API schema registry answers and the account Inlet uses there. Credentials come from the
 * URL's user info ({@code https://user:secret@host}, percent-encoded) or from a separate {@code user:secret}
 * value, which wins. {@link #toString()} and {@link #display()} never show the password.
 *
 * @param base the URL without credentials and without a trailing slash
 * @param user null without basic auth
 * @param password null without basic auth
 */
public record RegistryEndpoint(URI base, String user, String password) {

    public RegistryEndpoint {
        Objects.requireNonNull(base, "base");
    }

    /**
     * @param url      as written in {@code confluent.schema.registry.url}
     * @param userInfo nullable: {@code user:secret}, as in {@code confluent.schema.registry.basic.auth.user.info}
     * @throws IllegalArgumentException naming what is wrong, never showing a password
     */
    public static RegistryEndpoint of(String url, String userInfo) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no schema registry URL");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the schema registry URL is not a URL: " + e.getReason());
        }
        if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("the schema registry URL must be http://host[:port][/path] or https://...");
        }
        String user = null;
        String password = null;
        boolean fromUrl = userInfo == null || userInfo.isEmpty();
        String info = fromUrl ? uri.getRawUserInfo() : userInfo;
        if (info != null) {
            int colon = info.indexOf(':');
            String u = colon < 0 ? info : info.substring(0, colon);
            String p = colon < 0 ? "" : info.substring(colon + 1);
            user = fromUrl ? URLDecoder.decode(u, StandardCharsets.UTF_8) : u;
            password = fromUrl ? URLDecoder.decode(p, StandardCharsets.UTF_8) : p;
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        URI base = URI.create(uri.getScheme().toLowerCase() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + path);
        return new RegistryEndpoint(base, user, password);
    }

    /** The {@code Authorization} header's value, or null without credentials. */
    public String authorization() {
        if (user == null) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The URL as it may be shown: {@code http://******@host:port/path} with credentials, else the URL. */
    public String display() {
        if (user == null) {
            return base.toString();
        }
        String s = base.toString();
        int hostStart = s.indexOf("://") + 3;
        return s.substring(0, hostStart) + "******@" + s.substring(hostStart);
    }

    @Override
    public String toString() {
        return display();
    }
}
