package dev.awal.contacts.attributes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "contacts.attributes")
public interface AttributesConfig {

    /** How many attribute definitions one workspace may have. */
    @WithDefault("100")
    int maxPerWorkspace();
}
