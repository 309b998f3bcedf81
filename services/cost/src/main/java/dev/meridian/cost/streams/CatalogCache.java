package dev.meridian.cost.streams;

import dev.meridian.policy.cost.PriceCatalog;
import dev.meridian.policy.cost.PriceKey;
import dev.meridian.policy.cost.PricePeriod;
import dev.meridian.registry.config.FleetSnapshot;
import dev.meridian.registry.config.NodePool;
import dev.meridian.registry.config.Price;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The registry's prices as a policy {@link PriceCatalog} and its pools' tags, rebuilt only when the view changes. */
final class CatalogCache {

    private final String currency;
    private final CostMetrics metrics;
    private FleetSnapshot seen;
    private PriceCatalog catalog;
    private Map<String, Map<String, String>> poolTags = Map.of();

    CatalogCache(String currency, CostMetrics metrics) {
        this.currency = currency;
        this.metrics = metrics;
    }

    PriceCatalog catalog(FleetSnapshot snapshot) {
        refresh(snapshot);
        return catalog;
    }

    Map<String, String> poolTags(FleetSnapshot snapshot, String region, String pool) {
        refresh(snapshot);
        return poolTags.getOrDefault(region + "/" + pool, Map.of());
    }

    private void refresh(FleetSnapshot snapshot) {
        if (snapshot == seen) {
            return;
        }
        List<PricePeriod> periods = new ArrayList<>();
        for (Price price : snapshot.prices()) {
            if (!price.currency().equals(currency) || !snapshot.isKnownRegion(price.region())) {
                metrics.unusablePrice();
                continue;
            }
            periods.add(new PricePeriod(new PriceKey(price.region(), price.instanceType(), price.capacityType()),
                    price.effectiveFrom(), price.effectiveUntil().orElse(null), price.hourlyPrice(), price.currency()));
        }
        catalog = PriceCatalog.of(currency, periods);
        Map<String, Map<String, String>> tags = new HashMap<>();
        for (NodePool pool : snapshot.pools()) {
            tags.put(pool.region() + "/" + pool.name(), pool.tags());
        }
        poolTags = tags;
        seen = snapshot;
    }
}
