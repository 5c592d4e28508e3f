package dev.awal.contacts.media;

/** What inspection learned about a file; width and height are 0 for PDF. */
public record MediaInfo(MediaType type, int width, int height) {
}
