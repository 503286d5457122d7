package io.inlet.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.inlet.infra.context.ContextException;
import io.inlet.infra.context.InletContext;
import io.inlet.infra.context.InletContextKeys;
import io.inlet.infra.context.InletContextReader;
import io.inlet.infra.service.RuntimeImage;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** The CDK app of cdk.json: reads the {@code hosted:*} context, builds the stack, checks it with cdk-nag. */
public final class InletApp {
    private InletApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        try {
            InletStack stack = build(app, imageDirectory());
            if (stack.ingest().isPresent()) {
                new RuntimeImage(imageDirectory()).requireCurrent();
            }
        } catch (ContextException | IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        app.synth();
    }

    /** Builds the stack into an app; the tests use this with their own context and image directory. */
    public static InletStack build(App app, Path imageDirectory) {
        return build(app, imageDirectory, System.getenv());
    }

    /**
     * @param environment the process environment: without {@code hosted:account}, the CLI's {@code CDK_DEFAULT_ACCOUNT}
     *                    is the account; without either, the stack is environment-agnostic
     */
    public static InletStack build(App app, Path imageDirectory, Map<String, String> environment) {
        InletContext context = InletContextReader.read(key -> {
            Object value = app.getNode().tryGetContext(key);
            return value == null && key.equals(InletContextKeys.ACCOUNT.name())
                    ? environment.get("CDK_DEFAULT_ACCOUNT") : value;
        }, contextKeys(app));
        InletStack stack = new InletStack(app, context, imageDirectory);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> contextKeys(App app) {
        Object all = app.getNode().getAllContext();
        return all instanceof Map<?, ?> map ? (Set<String>) map.keySet() : Set.of();
    }

    /** ingest-runtime/ of the repository whose root holds cdk.json (the CDK CLI runs the app from there). */
    static Path imageDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("cdk.json"))) {
            dir = dir.getParent();
        }
        return (dir == null ? Path.of("").toAbsolutePath() : dir).resolve("ingest-runtime");
    }
}
