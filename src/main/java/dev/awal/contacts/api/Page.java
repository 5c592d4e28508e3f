package dev.awal.contacts.api;

import java.util.List;
import java.util.function.Function;

/** One page of results and its meta, before it is wrapped in the envelope. */
public record Page<T>(List<T> items, PageMeta meta) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), meta);
    }
}
