package dev.awal.contacts.attributes;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A typed copy of one attribute value of one contact, maintained by a trigger (V13); mapped only so
 * that list queries can filter and sort through it. Never written from Java.
 */
@Entity
@Table(name = "contact_attribute_values")
@IdClass(AttributeValue.Key.class)
public class AttributeValue extends PanacheEntityBase {

    @Id
    public Long contactId;
    @Id
    public Long attributeId;
    /** The contact's created_at (immutable), so that a filter can walk its values in the listing's order. */
    public Instant createdAt;
    public String textValue;
    public BigDecimal numValue;
    public Instant tsValue;

    /** The composite key, as JPA wants it: a class with the id fields, equals and hashCode. */
    public static class Key implements Serializable {
        public Long contactId;
        public Long attributeId;
    /** The contact's created_at (immutable), so that a filter can walk its values in the listing's order. */
    public Instant createdAt;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && java.util.Objects.equals(contactId, key.contactId)
                    && java.util.Objects.equals(attributeId, key.attributeId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(contactId, attributeId);
        }
    }
}
