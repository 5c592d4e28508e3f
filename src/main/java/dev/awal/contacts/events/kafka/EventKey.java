package dev.awal.contacts.events.kafka;

/**
 * The Kafka record key of an event: records with one key land in one partition, so a consumer reads one
 * contact's (group's, branch's) events in the order they were published. Contacts are keyed
 * {@code workspace:contactId}; groups and branches carry their kind, {@code workspace:contact_group:id} and
 * {@code workspace:branch:id}, because their ids are counted separately from contact ids and a shared key
 * would merge two unrelated histories (under log compaction, one would erase the other).
 */
final class EventKey {

    private EventKey() {
    }

    /**
     * @param type        the event type, {@code <aggregate>.<change>} (contact.updated, branch.deleted…)
     * @param aggregateId the id of the contact, group or branch the event is about; null if it names none
     */
    static String of(String workspace, String type, String aggregateId) {
        int dot = type.indexOf('.');
        String aggregate = dot < 0 ? type : type.substring(0, dot);
        if (aggregateId == null) {
            return workspace + ':' + aggregate;
        }
        return aggregate.equals("contact") ? workspace + ':' + aggregateId : workspace + ':' + aggregate + ':' + aggregateId;
    }
}
