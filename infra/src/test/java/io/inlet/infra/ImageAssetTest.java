package io.inlet.infra;

import io.inlet.infra.service.IngestService;
import io.inlet.infra.service.RuntimeImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The runtime's image asset built from the real ingest-runtime/Dockerfile: it holds that Dockerfile and exactly what its
 * COPY instructions copy, byte for byte, and the CLI's synth refuses a missing or stale jar.
 */
class ImageAssetTest {
    private static final Path RUNTIME = Deployments.REPOSITORY.resolve("ingest-runtime");

    @Test
    @SuppressWarnings("unchecked")
    void theAssetHoldsTheRealDockerfileAndExactlyWhatItCopies() throws IOException {
        assumeTrue(Files.exists(RUNTIME.resolve("target/ingest-runtime.jar")),
                "the runtime is not packaged: mvn -B -pl ingest-runtime -am package -DskipTests");
        App app = Deployments.app(Deployments.serverless());
        InletApp.build(app, RUNTIME, Map.of());
        Path out = Path.of(app.synth().getDirectory());
        try {
            Map<String, Object> images = (Map<String, Object>) Deployments.readJson(
                    out.resolve(Deployments.STACK + ".assets.json")).get("dockerImages");
            Map<String, Object> source = (Map<String, Object>) ((Map<String, Object>) images.values().iterator()
                    .next()).get("source");
            Path asset = out.resolve((String) source.get("directory"));

            assertThat(images).hasSize(1);
            assertThat(Files.mismatch(asset.resolve("Dockerfile"), RUNTIME.resolve("Dockerfile"))).isEqualTo(-1);
            assertThat(Files.mismatch(asset.resolve("target/ingest-runtime.jar"),
                    RUNTIME.resolve("target/ingest-runtime.jar"))).isEqualTo(-1);
            Set<String> expected = new TreeSet<>(files(RUNTIME.resolve("target/lib"), RUNTIME));
            expected.addAll(List.of("Dockerfile", "target/ingest-runtime.jar"));
            assertThat(files(asset, asset)).isEqualTo(expected);
        } finally {
            delete(out);
        }
    }

    @Test
    void theAssetKeepsOnlyTheDockerfileAndWhatItCopies() {
        RuntimeImage image = new RuntimeImage(RUNTIME);

        assertThat(image.copied()).containsExactly("target/lib/", "target/ingest-runtime.jar");
        assertThat(image.exclude()).containsExactly("*", "!Dockerfile", "!target/lib", "!target/lib/**",
                "!target/ingest-runtime.jar");
    }

    @Test
    void theImageHasWhatTheContainerHealthCheckRuns() throws IOException {
        String dockerfile = Files.readString(RUNTIME.resolve("Dockerfile"));

        assertThat(dockerfile).containsPattern("apt-get install [^\\n]*curl");
        assertThat(IngestService.LIVENESS_PATH).isEqualTo("/healthz");
    }

    @Test
    void theCliSynthRefusesAMissingOrStaleRuntime(@TempDir Path repository) throws IOException {
        Path runtime = Files.createDirectories(repository.resolve("ingest-runtime"));
        Files.copy(RUNTIME.resolve("Dockerfile"), runtime.resolve("Dockerfile"));
        Path source = Files.createDirectories(runtime.resolve("src/main/java")).resolve("Runtime.java");
        Files.writeString(source, "class Runtime {}");
        RuntimeImage image = new RuntimeImage(runtime);

        assertThatThrownBy(image::requireCurrent).hasMessage("ingest-runtime/target/lib/ is missing: the image would "
                + "ship no runtime. cdk.json's app (infra/bin/cdk-app) packages it before synth; or run "
                + "mvn -B -pl ingest-runtime -am package -DskipTests");

        Path library = Files.createDirectories(runtime.resolve("target/lib")).resolve("kafka-clients.jar");
        Path jar = runtime.resolve("target/ingest-runtime.jar");
        Files.writeString(library, "library");
        Files.writeString(jar, "runtime");
        FileTime packaged = FileTime.fromMillis(1_700_000_000_000L);
        Files.setLastModifiedTime(jar, packaged);
        Files.setLastModifiedTime(library, FileTime.fromMillis(packaged.toMillis() - 86_400_000L));
        Files.setLastModifiedTime(source, FileTime.fromMillis(packaged.toMillis() + 1000));
        assertThatThrownBy(image::requireCurrent).hasMessageStartingWith("ingest-runtime/target/ingest-runtime.jar is "
                + "older than the runtime's sources: the image would ship a stale runtime.");

        Files.setLastModifiedTime(source, FileTime.fromMillis(packaged.toMillis() - 1000));
        image.requireCurrent();
    }

    @Test
    void cdkJsonPackagesTheRuntimeBeforeItRunsTheApp() throws IOException {
        String app = Files.readString(Deployments.REPOSITORY.resolve("infra/bin/cdk-app"));

        assertThat(app.indexOf("mvn -q -B -pl ingest-runtime -am package -DskipTests")).isPositive()
                .isLessThan(app.indexOf("io.inlet.infra.InletApp"));
    }

    private static Set<String> files(Path directory, Path relativeTo) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).map(f -> relativeTo.relativize(f).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static void delete(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
