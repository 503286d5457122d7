package io.inlet.infra.render;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Renders the repository's mustache templates ({@code policy/}, {@code templates/}; the build puts both on the
 * classpath). Values are escaped as the inside of a JSON string, which is also valid inside YAML and SQL double-quoted
 * strings; CDK tokens pass through unchanged and resolve to CloudFormation intrinsics at synth.
 */
public final class TemplateRenderer {
    private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(escapeJsonString(value));
            } catch (IOException e) {
                throw new MustacheException("Failed to encode value: " + value, e);
            }
        }
    };

    private TemplateRenderer() {
    }

    /** @param template a classpath path such as {@code policy/msk-cluster-access.mustache} */
    public static String render(String template, Object scope) {
        if (TemplateRenderer.class.getClassLoader().getResource(template) == null) {
            throw new IllegalArgumentException("No template " + template + " on the classpath");
        }
        Mustache mustache = FACTORY.compile(template);
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, scope).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static String escapeJsonString(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
