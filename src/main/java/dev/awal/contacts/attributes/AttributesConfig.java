package dev.awal.contacts.attributes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "contacts.attributes")
public interface AttributesConfig {

    /** How many attribute definitions one workspace may have. */
    @WithDefault("100")
    int maxPerWorkspace();

    /**
     * Up to this many matches, a range or list-of-values filter next to other filters (or a list of more than
     * 20 values alone) sorts its matches in the listing's order before fetching a page's contacts; beyond, the
     * listing's own index is walked and each contact's value probed. Sizing a filter reads at most this many
     * index entries. A lower limit makes the sizing cheaper but hands mid-sized ranges to the planner's estimate
     * of the walk, which a shared typed column gets wrong by 10-20x (bench/attributes/findings.md).
     */
    @WithDefault("25000")
    int filterSortLimit();

    /**
     * The same limit for a range that is the listing's only filter (in created_at order). Beyond it, the
     * attribute's entries are walked in the listing's order with the range as a filter and the walk stops
     * after the page: about page / selectivity entries, so at most page x entries / limit (a million values,
     * 21 rows: 10,500 entries), while sizing and sorting stay under this limit.
     */
    @WithDefault("2000")
    int rangeSortLimit();

    /**
     * Whether a listing whose only filter is one attribute (in created_at order, a window of up to 1,000 matches)
     * is read by V26's contact_attribute_window_page: the page's matches and then their contacts in one statement,
     * whose own statements keep their generic plans for the connection; false keeps the filter a subquery of the
     * listing's own statement (planned on every request). The name is kept from V24's form, which read the ids
     * first. bench/results/attributes-w6.md.
     */
    @WithDefault("true")
    boolean windowIds();
}
