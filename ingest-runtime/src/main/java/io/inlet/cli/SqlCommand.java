package io.inlet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "sql", description = "Runs a statement on a running service and prints the result.")
final class SqlCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RESTORE_WAIT_SECONDS = 60;

    @Parameters(index = "0", description = "the statement; end it with \\G for one field per line")
    String statement;

    @Option(names = "--url", description = "the service's API (default: $INLET_URL or http://127.0.0.1:8030)")
    String url;

    @Option(names = "--token", description = "bearer token (default: $INLET_API_TOKEN)")
    String token;

    @Option(names = "--json", description = "print the JSON answer as it is")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String base = url != null ? url : System.getenv().getOrDefault("INLET_URL", "http://127.0.0.1:8030");
        String bearer = token != null ? token : System.getenv("INLET_API_TOKEN");
        String sql = statement.strip();
        boolean vertical = sql.endsWith("\\G");
        if (vertical) {
            sql = sql.substring(0, sql.length() - 2);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1/sql"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", sql))));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> response;
        try {
            HttpClient client = HttpClient.newHttpClient();
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            // a service that is still restoring its jobs answers 503 with Retry-After: wait for it, a while
            for (int waited = 0; response.statusCode() == 503 && waited < RESTORE_WAIT_SECONDS; waited++) {
                Thread.sleep(1000);
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
        } catch (java.net.ConnectException e) {
            System.err.println("inlet: no service answers at " + base + " (start one with ./inlet run --config FILE)");
            return 1;
        }
        JsonNode body = JSON.readTree(response.body());
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
            return response.statusCode() == 200 ? 0 : 1;
        }
        if (response.statusCode() != 200) {
            System.err.println("ERROR: " + body.path("error").asText(response.body()));
            return 1;
        }
        if (body.has("columns")) {
            List<String> columns = new ArrayList<>();
            body.get("columns").forEach(c -> columns.add(c.asText()));
            List<List<String>> rows = new ArrayList<>();
            body.get("rows").forEach(r -> {
                List<String> row = new ArrayList<>();
                r.forEach(v -> row.add(v.isNull() ? "NULL" : v.asText()));
                rows.add(row);
            });
            if (vertical) {
                TablePrinter.vertical(System.out, columns, rows);
            } else {
                TablePrinter.table(System.out, columns, rows);
            }
        } else {
            System.out.println("OK: " + body.path("message").asText());
        }
        return 0;
    }
}
