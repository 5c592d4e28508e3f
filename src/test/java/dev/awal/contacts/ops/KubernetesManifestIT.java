package dev.awal.contacts.ops;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Checks the manifests the build generated (target/kubernetes/kubernetes.yml): what an operator
 * deploys must carry probes, resources, configuration by reference, a non-root read-only container
 * and a grace period long enough for graceful shutdown. An integration test because the file only
 * exists after packaging.
 */
class KubernetesManifestIT {

    private static final Path MANIFEST = Path.of("target", "kubernetes", "kubernetes.yml");
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{[A-Z_]+:([^}]*)}");

    private static JsonNode deployment;
    private static JsonNode service;

    @BeforeAll
    static void readManifests() throws IOException {
        YAMLFactory yaml = new YAMLFactory();
        List<JsonNode> documents = new ArrayList<>();
        new ObjectMapper(yaml).readValues(yaml.createParser(MANIFEST.toFile()), JsonNode.class)
                .forEachRemaining(documents::add);
        deployment = single(documents, "Deployment");
        service = single(documents, "Service");
        assertThat("credentials are referenced, never generated into the manifests",
                documents.stream().map(d -> d.path("kind").asText()).toList(), not(hasItem("Secret")));
    }

    @Test
    void probesUseTheHealthEndpointsOnTheHttpPort() {
        JsonNode container = container();
        int port = container.path("ports").get(0).path("containerPort").asInt();
        assertEquals(8080, port);
        assertEquals("/q/health/live", probe(container, "livenessProbe").path("path").asText());
        assertEquals("/q/health/ready", probe(container, "readinessProbe").path("path").asText());
        assertEquals("/q/health/started", probe(container, "startupProbe").path("path").asText());
        for (String name : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals(port, probe(container, name).path("port").asInt(), name);
        }
    }

    @Test
    void requestsAndLimitsAreSet() {
        JsonNode resources = container().path("resources");
        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertFalse(resources.path(kind).path(resource).asText().isBlank(), kind + "." + resource);
            }
        }
    }

    @Test
    void configurationComesFromAConfigMapAndCredentialsFromASecret() {
        List<String> configMaps = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (JsonNode source : container().path("envFrom")) {
            if (source.has("configMapRef")) {
                configMaps.add(source.path("configMapRef").path("name").asText());
            }
            if (source.has("secretRef")) {
                secrets.add(source.path("secretRef").path("name").asText());
            }
        }
        assertEquals(List.of("contacts-config"), configMaps);
        assertEquals(List.of("contacts-secrets"), secrets);
        for (JsonNode variable : container().path("env")) {
            assertFalse(variable.has("value"), "no literal environment values, which could be credentials: " + variable);
        }
    }

    @Test
    void runsAsNonRootWithAReadOnlyRootAndAWritableTmp() {
        JsonNode pod = podSpec().path("securityContext");
        assertTrue(pod.path("runAsNonRoot").asBoolean(false));
        assertThat(pod.path("runAsUser").asLong(), greaterThan(0L));
        JsonNode container = container().path("securityContext");
        assertTrue(container.path("readOnlyRootFilesystem").asBoolean(false));
        assertTrue(container.path("allowPrivilegeEscalation").isBoolean());
        assertFalse(container.path("allowPrivilegeEscalation").asBoolean());
        assertEquals("ALL", container.path("capabilities").path("drop").path(0).asText());

        String tmpVolume = stream(container().path("volumeMounts"))
                .filter(mount -> mount.path("mountPath").asText().equals("/tmp"))
                .map(mount -> mount.path("name").asText()).findFirst().orElseThrow();
        JsonNode volume = stream(podSpec().path("volumes"))
                .filter(v -> v.path("name").asText().equals(tmpVolume)).findFirst().orElseThrow();
        assertTrue(volume.has("emptyDir"), "/tmp is an emptyDir: " + volume);
    }

    @Test
    void gracePeriodCoversShutdownDelayAndTimeout() throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(reader);
        }
        Duration delay = duration(properties.getProperty("quarkus.shutdown.delay"));
        Duration timeout = duration(properties.getProperty("quarkus.shutdown.timeout"));
        long grace = podSpec().path("terminationGracePeriodSeconds").asLong();
        assertThat("terminationGracePeriodSeconds", grace, greaterThan(delay.plus(timeout).toSeconds()));
    }

    @Test
    void theServiceSelectsTheDeploymentsPodsOnItsHttpPort() {
        JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode selector = service.path("spec").path("selector");
        assertThat(selector.size(), greaterThan(0));
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> label = it.next();
            assertEquals(label.getValue().asText(), labels.path(label.getKey()).asText(), label.getKey());
        }
        assertEquals(8080, service.path("spec").path("ports").path(0).path("targetPort").asInt());
    }

    private static JsonNode single(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertEquals(1, found.size(), kind);
        return found.get(0);
    }

    private static JsonNode podSpec() {
        return deployment.path("spec").path("template").path("spec");
    }

    private static JsonNode container() {
        JsonNode containers = podSpec().path("containers");
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    private static JsonNode probe(JsonNode container, String name) {
        return container.path(name).path("httpGet");
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** A Quarkus duration such as {@code 30S}, or {@code ${ENV:30S}} taken at its default. */
    private static Duration duration(String value) {
        Matcher defaulted = DEFAULTED.matcher(value.trim());
        return Duration.parse("PT" + (defaulted.matches() ? defaulted.group(1) : value.trim()));
    }
}
