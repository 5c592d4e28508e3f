package dev.awal.contacts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(description = "Paging facts; every field is always present. In cursor mode page, total, total_exact and last_page are null.")
public record PageMeta(
        @Schema(required = true, nullable = true, examples = "1") Integer page,
        @Schema(required = true, examples = "20") int perPage,
        @Schema(required = true, nullable = true, examples = "57", description = "Matching items. Counting stops at a limit past the "
                + "requested page (contacts.paging.count-limit): when total_exact is false, there are at least this many")
        Long total,
        @Schema(required = true, nullable = true, examples = "true", description = "false when counting stopped at the limit, so total "
                + "and last_page are lower bounds; next_cursor still says whether another page exists")
        Boolean totalExact,
        @Schema(required = true, nullable = true, examples = "3") Integer lastPage,
        @Schema(required = true, nullable = true, description = "Pass as `cursor` to get the next page by keyset; null on the last page",
                examples = "eyJzIjoiLWNyZWF0ZWRfYXQiLCJ2IjoiMjAyNC0wMS0xNVQxMDozMDowMFoiLCJpIjo0Mn0") String nextCursor) {
}
