package dev.awal.contacts.api;

import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

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
