package dev.awal.contacts.observability;

import static io.restassured.RestAssured.given;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of /q/metrics, parsed into series (name plus labels, as printed) and values. */
record PrometheusScrape(String text, Map<String, Double> series) {

    static PrometheusScrape now() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> series = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return new PrometheusScrape(text, series);
    }

    /** The value of the series with this name whose labels include all of {@code labels} ({@code k="v"}); 0 if absent. */
    double value(String name, String... labels) {
        return series.entrySet().stream()
                .filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                .filter(e -> Arrays.stream(labels).allMatch(label -> e.getKey().contains(label)))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    boolean has(String name, String... labels) {
        return series.keySet().stream()
                .filter(key -> key.equals(name) || key.startsWith(name + "{"))
                .anyMatch(key -> Arrays.stream(labels).allMatch(key::contains));
    }
}
