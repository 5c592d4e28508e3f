package dev.awal.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * The email and phone-format checks are written by hand for speed; they must accept exactly what the
 * regexes they replaced accept. Checked on fixed cases and on many random strings over the characters
 * that matter to them.
 */
class HandWrittenChecksTest {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]{2,}");
    private static final Pattern FORMATTED = Pattern.compile("\\+?[0-9 ().\\-]{4,40}");
    private static final Pattern FORMATTING = Pattern.compile("[^0-9]");

    @Test
    void emailCases() {
        assertTrue(InputFields.isEmail("ahmed@example.com"));
        assertTrue(InputFields.isEmail("a.b@c.d.sa"));
        assertTrue(InputFields.isEmail("أحمد@مثال.السعودية"));
        assertFalse(InputFields.isEmail("@example.com"));
        assertFalse(InputFields.isEmail("a@b@example.com"));
        assertFalse(InputFields.isEmail("a@.com"));
        assertFalse(InputFields.isEmail("a@example.c"));
        assertFalse(InputFields.isEmail("a b@example.com"));
        assertFalse(InputFields.isEmail("a@example.\uD83D\uDE00"), "one code point after the dot is too few");
        assertTrue(InputFields.isEmail("a@example.\uD83D\uDE00\uD83D\uDE00"));
        assertTrue(InputFields.isEmail("x".repeat(64) + "@example.com"));
        assertFalse(InputFields.isEmail("x".repeat(65) + "@example.com"));
        assertTrue(InputFields.isEmail("\uD83D\uDE00".repeat(64) + "@example.com"), "64 code points, 128 chars");
    }

    @Test
    void emailAgreesWithTheRegex() {
        String[] parts = { "a", "b", "@", ".", " ", "\t", "\u000B", "\u00A0", "é", "\uD83D\uDE00", "x".repeat(30) };
        SplittableRandom random = new SplittableRandom(15);
        for (int n = 0; n < 200_000; n++) {
            String value = randomString(random, parts, 12);
            assertEquals(EMAIL.matcher(value).matches(), InputFields.isEmail(value), value);
        }
    }

    @Test
    void phoneFormatAgreesWithTheRegexes() {
        String[] parts = { "+", "0", "5", "9", " ", "(", ")", ".", "-", "a", "٥", "/", "\u00A0", "12345678" };
        SplittableRandom random = new SplittableRandom(15);
        for (int n = 0; n < 200_000; n++) {
            String value = randomString(random, parts, 14);
            String expected = FORMATTED.matcher(value).matches() ? FORMATTING.matcher(value).replaceAll("") : null;
            assertEquals(expected, PhoneNumbers.formattedDigits(value), value);
        }
        assertEquals("966501234567", PhoneNumbers.formattedDigits("+966 (50) 123-45.67"));
        assertEquals(null, PhoneNumbers.formattedDigits("+123"));
        assertEquals(null, PhoneNumbers.formattedDigits("1".repeat(41)));
        assertEquals("1".repeat(40), PhoneNumbers.formattedDigits("+" + "1".repeat(40)));
    }

    @Test
    void normalizedPhonesAreUnchanged() {
        assertEquals("966501234567", PhoneNumbers.normalize("+966 50 123 4567"));
        assertEquals("966501234567", PhoneNumbers.normalize("00966501234567"));
        assertEquals(null, PhoneNumbers.normalize("+966 50 123"));
        assertEquals(null, PhoneNumbers.normalize("966-50-123-4567x"));
    }

    /**
     * The parser-free path of {@link PhoneNumbers#normalize} answers as libphonenumber's parser does: example numbers
     * of every region and type (as they are, with the national prefix written after the calling code, one digit
     * short, one digit long, one digit changed), and random digits behind every calling code.
     */
    @Test
    void phonesDecidedWithoutTheParserAreDecidedAsTheParserDoes() {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        SplittableRandom random = new SplittableRandom(20261129);
        List<String> numbers = new ArrayList<>();
        for (String region : util.getSupportedRegions()) {
            String prefix = Objects.requireNonNullElse(util.getNddPrefixForRegion(region, true), "");
            for (PhoneNumberUtil.PhoneNumberType type : PhoneNumberUtil.PhoneNumberType.values()) {
                Phonenumber.PhoneNumber example = util.getExampleNumberForType(region, type);
                if (example != null) {
                    String cc = String.valueOf(example.getCountryCode());
                    String national = util.getNationalSignificantNumber(example);
                    numbers.add(cc + national);
                    numbers.add(cc + prefix + national);
                    numbers.add(cc + national.substring(0, national.length() - 1));
                    numbers.add(cc + national + random.nextInt(10));
                    int at = random.nextInt(national.length());
                    numbers.add(cc + national.substring(0, at) + random.nextInt(10) + national.substring(at + 1));
                }
            }
        }
        for (int callingCode : util.getSupportedCallingCodes()) {
            for (int n = 0; n < 400; n++) {
                StringBuilder digits = new StringBuilder().append(callingCode);
                for (int i = 1 + random.nextInt(18); i > 0; i--) {
                    digits.append((char) ('0' + random.nextInt(10)));
                }
                numbers.add(digits.toString());
            }
        }
        for (int n = 0; n < 20_000; n++) {
            StringBuilder digits = new StringBuilder();
            for (int i = 1 + random.nextInt(20); i > 0; i--) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            numbers.add(digits.toString());
        }
        int direct = 0;
        int valid = 0;
        for (String digits : numbers) {
            for (String input : List.of(digits, "+" + digits, "00" + digits, "+" + digits.replaceAll("(\\d{3})", "$1 "))) {
                String expected = PhoneNumbers.normalizeByParsing(input);
                assertEquals(expected, PhoneNumbers.normalize(input), input);
            }
            direct += PhoneNumbers.decidedWithoutParsing(digits) ? 1 : 0;
            valid += PhoneNumbers.normalize(digits) != null ? 1 : 0;
        }
        // The comparison means something only if both paths decide many numbers, valid and invalid ones.
        assertTrue(direct > numbers.size() / 2, direct + " of " + numbers.size() + " decided without the parser");
        assertTrue(valid > 5_000, valid + " valid");
        assertTrue(PhoneNumbers.decidedWithoutParsing("966501234567"));
    }

    private static String randomString(SplittableRandom random, String[] parts, int maxParts) {
        StringBuilder value = new StringBuilder();
        for (int i = random.nextInt(maxParts + 1); i > 0; i--) {
            value.append(parts[random.nextInt(parts.length)]);
        }
        return value.toString();
    }
}
