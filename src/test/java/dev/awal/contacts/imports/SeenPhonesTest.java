package dev.awal.contacts.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The import's in-memory record of phones written by earlier batches: a plain class, checked against a HashMap. */
class SeenPhonesTest {

    @Test
    void answersTheFirstRowThatWroteAPhoneAndNothingForOthers() {
        SeenPhones seen = new SeenPhones();
        assertThat(seen.firstRow("966501234567")).isZero();
        seen.add("966501234567", 7);
        seen.add("966501234567", 9);
        assertThat(seen.firstRow("966501234567")).as("the first row is kept").isEqualTo(7);
        assertThat(seen.firstRow("966501234568")).isZero();
        assertThat(seen.firstRow("16505550100")).isZero();
        assertThat(seen.size()).isEqualTo(1);
    }

    @Test
    void agreesWithAHashMapThroughManyGrowths() {
        SeenPhones seen = new SeenPhones();
        Map<String, Integer> expected = new HashMap<>();
        Random random = new Random(11);
        for (int row = 2; row < 300_000; row++) {
            // Consecutive and repeated numbers, as real files have, and numbers of several lengths.
            String phone = random.nextInt(4) == 0 ? "9665" + (10_000_000 + random.nextInt(200_000))
                    : String.valueOf(1_000_000_000L + random.nextInt(150_000) * 7919L);
            seen.add(phone, row);
            expected.putIfAbsent(phone, row);
        }
        assertThat(seen.size()).isEqualTo(expected.size());
        expected.forEach((phone, row) -> assertThat(seen.firstRow(phone)).as(phone).isEqualTo(row));
        assertThat(seen.firstRow("999999999999999")).isZero();
    }

    @Test
    void refusesWhatIsNoNormalizedPhone() {
        SeenPhones seen = new SeenPhones();
        assertThatThrownBy(() -> seen.add("+966501234567", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> seen.add("0501234567", 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> seen.firstRow("")).isInstanceOf(IllegalArgumentException.class);
    }
}
