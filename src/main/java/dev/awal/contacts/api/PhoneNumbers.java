package dev.awal.contacts.api;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonemetadata.PhoneMetadata;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.metadata.DefaultMetadataDependenciesProvider;
import com.google.i18n.phonenumbers.metadata.source.MetadataSource;

/** Normalizes international phone numbers to their digits-only E.164 form, validated by libphonenumber. */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern FORMATTING = Pattern.compile("[^0-9]");

    private PhoneNumbers() {
    }

    /** The digits-only international form, e.g. {@code 966501234567}, or null when invalid. */
    public static String normalize(String input) {
        String digits = formattedDigits(input.strip());
        if (digits == null) {
            return null;
        }
        if (digits.startsWith("00")) {
            digits = digits.substring(2);
        }
        String direct = direct(digits);
        return direct != UNDECIDED ? direct : parsed(digits);
    }

    /** What {@link #normalize} answers through libphonenumber's parser alone (the reference its tests compare with). */
    static String normalizeByParsing(String input) {
        String digits = formattedDigits(input.strip());
        if (digits == null) {
            return null;
        }
        return parsed(digits.startsWith("00") ? digits.substring(2) : digits);
    }

    private static String parsed(String digits) {
        try {
            PhoneNumber number = UTIL.parse("+" + digits, "ZZ");
            if (!UTIL.isValidNumber(number)) {
                return null;
            }
            return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1);
        } catch (NumberParseException e) {
            return null;
        }
    }

    /** Whether {@link #normalize} answers for these digits without libphonenumber's parser (for its tests). */
    static boolean decidedWithoutParsing(String digits) {
        return direct(digits) != UNDECIDED;
    }

    /** Marks a number {@link #direct} leaves to the parser. */
    private static final String UNDECIDED = new String("undecided");
    private static final Map<Integer, Optional<Pattern>> NATIONAL_PREFIXES = new ConcurrentHashMap<>();

    /**
     * The answer for the digits that libphonenumber's parser would take apart without changing them, or
     * {@link #UNDECIDED}. The parser spends ~5 µs a number on general-purpose regexes (viability, extensions,
     * national prefixes) that a string of digits after a '+' cannot need — 80 % of the library's cost and
     * ~10 % of a create's CPU in a profile. For "+digits" it takes the first 1–3 digits that are a calling code
     * and strips a national prefix only where the calling code's main region has a national prefix for parsing
     * that matches at the start of the rest: so where no such prefix matches, and the rest neither starts with
     * 0 (the parser's "Italian leading zero") nor falls outside 2–17 digits, the parsed number is exactly
     * (calling code, rest), its E.164 form the digits themselves, and validity is the library's own
     * {@code isValidNumber}. Every other number goes through the parser. HandWrittenChecksTest compares this
     * with the parser on numbers of every calling code.
     */
    private static String direct(String digits) {
        if (digits.length() < 4 || digits.charAt(0) == '0') {
            return UNDECIDED;
        }
        for (int length = 1; length <= 3; length++) {
            int callingCode = Integer.parseInt(digits, 0, length, 10);
            String region = UTIL.getRegionCodeForCountryCode(callingCode);
            if (UNKNOWN_REGION.equals(region)) {
                continue;
            }
            String national = digits.substring(length);
            if (national.length() < 2 || national.length() > 17 || national.charAt(0) == '0') {
                return UNDECIDED;
            }
            Optional<Pattern> prefix = NATIONAL_PREFIXES.computeIfAbsent(callingCode, code -> nationalPrefix(code, region));
            if (prefix == null || prefix.isPresent() && prefix.get().matcher(national).lookingAt()) {
                return UNDECIDED;
            }
            PhoneNumber number = new PhoneNumber().setCountryCode(callingCode).setNationalNumber(Long.parseLong(national));
            return UTIL.isValidNumber(number) ? digits : null;
        }
        return UNDECIDED;
    }

    private static final String UNKNOWN_REGION = "ZZ";
    private static final String NON_GEOGRAPHICAL = "001";

    /** The national prefix the parser strips for this calling code (empty: none); null when it has no metadata. */
    private static Optional<Pattern> nationalPrefix(int callingCode, String region) {
        // The library's public view of the same metadata files (PhoneNumberUtil keeps its own copy private); only
        // the regions of calling codes seen here are loaded into it.
        MetadataSource source = DefaultMetadataDependenciesProvider.getInstance().getPhoneNumberMetadataSource();
        PhoneMetadata metadata = NON_GEOGRAPHICAL.equals(region) ? source.getMetadataForNonGeographicalRegion(callingCode)
                : source.getMetadataForRegion(region);
        if (metadata == null) {
            return null;
        }
        String prefix = metadata.getNationalPrefixForParsing();
        return prefix.isEmpty() ? Optional.empty() : Optional.of(Pattern.compile(prefix));
    }

    /**
     * The digits of {@code \+?[0-9 ().\-]{4,40}} (what a person types: +, spaces, dashes, dots and parentheses),
     * or null for anything else; by hand rather than by two regexes, as this runs on every contact write.
     */
    static String formattedDigits(String trimmed) {
        int from = trimmed.startsWith("+") ? 1 : 0;
        int length = trimmed.length() - from;
        if (length < 4 || length > 40) {
            return null;
        }
        StringBuilder digits = new StringBuilder(length);
        for (int i = from; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != ' ' && c != '(' && c != ')' && c != '.' && c != '-') {
                return null;
            }
        }
        return digits.toString();
    }

    /** The digits of a search term, for phone substring search. */
    public static String digitsOf(String term) {
        return FORMATTING.matcher(term).replaceAll("");
    }

    /** Loads the metadata of every region now, at start-up, instead of on the event loop at first use. */
    public static void preload() {
        for (String region : UTIL.getSupportedRegions()) {
            UTIL.getExampleNumber(region);
        }
    }
}
