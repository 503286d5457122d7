package io.inlet.infra.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ingest runtime's image asset: the directory of {@code ingest-runtime/Dockerfile}, of which the asset holds only
 * the Dockerfile and what its {@code COPY} instructions copy (the packaged jar and its libraries), so that the asset's
 * hash changes exactly when the image would. {@code cdk.json}'s app packages the runtime before synth; the CLI's synth
 * refuses a missing or stale jar rather than ship an old one.
 */
public final class RuntimeImage {
    private static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+\\S+\\s*$");

    private final Path directory;

    public RuntimeImage(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The sources of the Dockerfile's {@code COPY} instructions, relative to the directory, e.g. {@code target/lib/}. */
    public List<String> copied() {
        List<String> sources = new ArrayList<>();
        Matcher copy = COPY.matcher(read(directory.resolve("Dockerfile")));
        while (copy.find()) {
            sources.add(copy.group(1));
        }
        return sources;
    }

    /** Docker-ignore patterns that leave the Dockerfile and what it copies, nothing else. */
    public List<String> exclude() {
        List<String> patterns = new ArrayList<>(List.of("*", "!Dockerfile"));
        for (String source : copied()) {
            String path = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
            patterns.add("!" + path);
            if (source.endsWith("/")) {
                patterns.add("!" + path + "/**");
            }
        }
        return patterns;
    }

    /**
     * Fails unless everything the Dockerfile copies exists and the packaged runtime (its jar) is newer than the runtime's
     * sources, naming what is missing or stale and how to build it. The libraries' dates are their releases', not a
     * build's, so only their presence counts.
     */
    public void requireCurrent() {
        long newestSource = newest(List.of(directory.resolve("src/main")));
        for (String source : copied()) {
            Path copied = directory.resolve(source);
            if (!Files.exists(copied)) {
                throw new IllegalStateException(directory.getFileName() + "/" + source + " is missing: the image "
                        + "would ship no runtime. cdk.json's app (infra/bin/cdk-app) packages it before synth; or run "
                        + "mvn -B -pl ingest-runtime -am package -DskipTests");
            }
            if (Files.isRegularFile(copied) && newest(List.of(copied)) < newestSource) {
                throw new IllegalStateException(directory.getFileName() + "/" + source + " is older than the "
                        + "runtime's sources: the image would ship a stale runtime. cdk.json's app (infra/bin/cdk-app) "
                        + "packages it before synth; or run mvn -B -pl ingest-runtime -am package -DskipTests");
            }
        }
    }

    private static long newest(List<Path> paths) {
        long newest = 0;
        for (Path path : paths) {
            if (!Files.exists(path)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(path)) {
                newest = Math.max(newest, files.filter(Files::isRegularFile)
                        .mapToLong(RuntimeImage::modified).max().orElse(0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return newest;
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
