package dev.awal.contacts.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.PackagedAppConfig;
import dev.awal.contacts.support.StandalonePostgres;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * Clients generated from the built document with OpenAPI Generator's default settings (pom.xml:
 * Java `native`, `typescript-fetch`, under target/generated-clients) compile and work against the
 * packaged service: src/test/clients/ holds a small program for each that creates, reads (and gets
 * 304), lists by search and cursor, links and unlinks with null, deletes, and reads a 404 and a 422
 * as the typed error envelope, signing every request in the client's interceptor / middleware.
 */
@QuarkusIntegrationTest
@WithTestResource(StandalonePostgres.class)
@WithTestResource(PackagedAppConfig.class)
class GeneratedClientsIT {

    private static final Path GENERATED = Path.of("target", "generated-clients");
    private static final Path PROGRAMS = Path.of("src", "test", "clients");

    @Test
    void generatedJavaClientWorks() throws Exception {
        Path classes = GENERATED.resolve("java-classes");
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(GENERATED.resolve("java").resolve("src").resolve("main"))) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> sources.add(file.toString()));
        }
        sources.add(PROGRAMS.resolve("java").resolve("ClientCheck.java").toString());
        String classPath = libraries();
        List<String> arguments = new ArrayList<>(List.of("-nowarn", "-encoding", "UTF-8", "-d", classes.toString(),
                "-cp", classPath));
        arguments.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, arguments.toArray(String[]::new)),
                "the generated Java client and ClientCheck compile (compiler output above)");

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String output = run(List.of(java.toString(), "-cp", classes + File.pathSeparator + classPath, "ClientCheck",
                baseUrl(), PackagedAppConfig.CLIENT, PackagedAppConfig.secret(), PackagedAppConfig.WORKSPACE),
                Path.of("."), 120);
        assertTrue(output.contains("Java client check passed"), output);
    }

    @Test
    void generatedTypeScriptClientWorks() throws Exception {
        Path tools = PROGRAMS.resolve("typescript");
        if (!Files.isDirectory(tools.resolve("node_modules").resolve("typescript"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), tools, 300);
        }
        Path client = GENERATED.resolve("typescript");
        Files.copy(tools.resolve("client-check.ts"), client.resolve("client-check.ts"), StandardCopyOption.REPLACE_EXISTING);
        Path modules = tools.resolve("node_modules").toAbsolutePath();
        run(List.of("node", modules.resolve("typescript").resolve("bin").resolve("tsc").toString(),
                "--strict", "--target", "es2022", "--module", "commonjs", "--moduleResolution", "node",
                "--lib", "es2022,dom", "--skipLibCheck", "--typeRoots", modules.resolve("@types").toString(),
                "--types", "node", "--outDir", "build", "client-check.ts"), client, 180);
        String output = run(List.of("node", Path.of("build", "client-check.js").toString(), baseUrl(),
                PackagedAppConfig.CLIENT, PackagedAppConfig.secret(), PackagedAppConfig.WORKSPACE), client, 120);
        assertTrue(output.contains("TypeScript client check passed"), output);
    }

    private static String baseUrl() {
        return RestAssured.baseURI + ":" + RestAssured.port;
    }

    /** Jackson and what the generated pom adds, copied by the build (pom.xml, java-client-libraries). */
    private static String libraries() throws IOException {
        try (Stream<Path> jars = Files.list(GENERATED.resolve("java-libs"))) {
            return String.join(File.pathSeparator, jars.map(Path::toString).sorted().toList());
        }
    }

    private static String run(List<String> command, Path directory, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("generated-client", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            String name = String.join(" ", command.subList(0, Math.min(2, command.size())));
            assertTrue(finished, name + " did not finish:\n" + log);
            assertEquals(0, process.exitValue(), name + " failed:\n" + log);
            return log;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
