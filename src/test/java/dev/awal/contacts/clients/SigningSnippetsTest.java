package dev.awal.contacts.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Runs every snippet of docs/signing.md against the service, each in its own runtime: it must create
 * a contact (201) and find it (200) with requests it signed itself. Needs java, node, python3, php
 * and go on the PATH (.ci/run installs php-cli and golang-go when missing).
 */
@QuarkusTest
class SigningSnippetsTest {

    private static final Path PAGE = Path.of("docs", "signing.md");
    private static final Pattern SNIPPET = Pattern.compile("<!-- run: (\\w+) -->\\s*```\\w+\\n(.*?)```", Pattern.DOTALL);
    private static final Path TYPESCRIPT_TOOLS = Path.of("src", "test", "clients", "typescript", "node_modules");
    private static Map<String, String> snippets;
    private static Path work;

    @BeforeAll
    static void extract() throws IOException {
        snippets = new LinkedHashMap<>();
        Matcher matcher = SNIPPET.matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
        while (matcher.find()) {
            snippets.put(matcher.group(1), matcher.group(2));
        }
        work = Files.createDirectories(Path.of("target", "signing-snippets"));
    }

    @Test
    void everyLanguageHasARunnableSnippet() {
        assertThat(snippets).containsOnlyKeys("java", "typescript", "python", "php", "go", "bash");
    }

    @Test
    void java() throws Exception {
        assertSignedCalls("Java", List.of(javaHome(), write("Sign.java", "java").toString()));
    }

    @Test
    void typescript() throws Exception {
        if (!Files.isDirectory(TYPESCRIPT_TOOLS.resolve("typescript"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), TYPESCRIPT_TOOLS.getParent(), Map.of(), 300);
        }
        Path source = write("sign.ts", "typescript");
        Path modules = TYPESCRIPT_TOOLS.toAbsolutePath();
        run(List.of("node", modules.resolve("typescript/bin/tsc").toString(), "--strict", "--target", "es2022",
                "--module", "commonjs", "--lib", "es2022,dom", "--skipLibCheck", "--typeRoots",
                modules.resolve("@types").toString(), "--types", "node", "--outDir", "ts-build", source.getFileName().toString()),
                work, Map.of(), 180);
        assertSignedCalls("TypeScript", List.of("node", work.resolve("ts-build").resolve("sign.js").toString()));
    }

    @Test
    void python() throws Exception {
        assertSignedCalls("Python", List.of("python3", write("sign.py", "python").toString()));
    }

    @Test
    void php() throws Exception {
        assertSignedCalls("PHP", List.of("php", write("sign.php", "php").toString()));
    }

    @Test
    void go() throws Exception {
        assertSignedCalls("Go", List.of("go", "run", write("sign.go", "go").toString()));
    }

    @Test
    void bash() throws Exception {
        assertSignedCalls("bash", List.of("bash", write("sign.sh", "bash").toString()));
    }

    /** The snippet created a contact and found it; the contact really exists, named after the language. */
    private static void assertSignedCalls(String language, List<String> command) throws Exception {
        String phone = TestData.uniquePhone();
        String output = run(command, Path.of("."), Map.of(
                "CONTACTS_URL", RestAssured.baseURI + ":" + RestAssured.port,
                "CONTACTS_CLIENT_ID", Api.CLIENT, "CONTACTS_SECRET", Api.SECRET,
                "CONTACTS_WORKSPACE", Api.WORKSPACE, "CONTACTS_PHONE", "+" + phone,
                "GOCACHE", work.resolve("go-cache").toAbsolutePath().toString(),
                "HOME", System.getProperty("user.home")), 300);
        assertThat(output).contains("POST 201", "GET 200");
        Api.signed().get("/api/developer/contacts?search=" + phone).then().statusCode(200)
                .body("data[0].name", org.hamcrest.Matchers.equalTo("Snippet " + language));
    }

    private static Path write(String name, String language) throws IOException {
        return Files.writeString(work.resolve(name), snippets.get(language), StandardCharsets.UTF_8).toAbsolutePath();
    }

    private static String javaHome() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String run(List<String> command, Path directory, Map<String, String> environment, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path output = Files.createTempFile("signing-snippet", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(finished, command + " did not finish:\n" + log);
            assertEquals(0, process.exitValue(), command + " failed:\n" + log);
            return log;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
