package dev.awal.contacts.contact;

import java.util.Locale;
import java.util.regex.Pattern;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import dev.awal.contacts.api.PhoneNumbers;
import dev.awal.contacts.api.QueryParams;

/**
 * Reads a phone number the way a person or a CRM writes it, optionally in a default region
 * ({@code 0501234567} in {@code SA} is {@code 966501234567}), into the stored digits-only form.
 */
public final class RegionalPhones {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final Pattern INTERNATIONAL = Pattern.compile("\\s*(\\+|00).*");
    private static final Pattern FORMATTED = Pattern.compile("[0-9 ().\\-]{4,40}");

    private RegionalPhones() {
    }

    /** The supported ISO 3166 alpha-2 region of the {@code default_region} query parameter, or null. */
    public static String region(String raw) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        String region = raw.strip().toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(region)) {
            throw QueryParams.invalid("default_region", "must be an ISO 3166 alpha-2 region code, e.g. SA");
        }
        return region;
    }

    /**
     * The stored form of {@code input}, or null when it is not a valid number. Numbers with {@code +} or
     * {@code 00} are international whatever the region; others are read in {@code region} first and,
     * failing that, as international digits without the {@code +} (e.g. {@code 966501234567}).
     */
    static String normalize(String input, String region) {
        if (region == null || INTERNATIONAL.matcher(input).matches()) {
            return PhoneNumbers.normalize(input);
        }
        String trimmed = input.strip();
        if (FORMATTED.matcher(trimmed).matches()) {
            try {
                PhoneNumber number = UTIL.parse(trimmed, region);
                if (UTIL.isValidNumber(number)) {
                    return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).substring(1);
                }
            } catch (NumberParseException e) {
                // Not a national number of the region: try it as international digits below.
            }
        }
        return PhoneNumbers.normalize(input);
    }
}
