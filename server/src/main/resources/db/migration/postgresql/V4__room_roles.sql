-- Private rooms and room roles, PostgreSQL edition (db/migration/sqlite/V4__room_roles.sql is the
-- same). V3 is left to the accounts migration.
--
-- Rooms gain the kind 'private' (rooms.kind is text: no change to the table). Private rooms keep
-- name_lower like public rooms, but the unique index rooms_public_name covers public rooms only,
-- so private rooms may share a name with any room.
-- memberships.role, there since V1, now counts: owner | moderator | member. The creator of a room
-- is its owner; when the last owner leaves, the member in the room longest (moderators first)
-- becomes owner. Rooms made before this migration get owners by the same rule: the creator if
-- still a member, else the member who joined first. general has no owner (server admins
-- moderate it).

UPDATE memberships SET role = 'owner'
WHERE role = 'member'
  AND user_id = (SELECT r.created_by FROM rooms r WHERE r.id = memberships.room_id AND r.kind = 'public');

UPDATE memberships SET role = 'owner'
WHERE EXISTS (SELECT 1 FROM rooms r
              WHERE r.id = memberships.room_id AND r.kind = 'public' AND r.created_by IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.room_id = memberships.room_id AND o.role = 'owner')
  AND NOT EXISTS (SELECT 1 FROM memberships e
                  WHERE e.room_id = memberships.room_id
                    AND (e.joined_at < memberships.joined_at
                         OR (e.joined_at = memberships.joined_at AND e.user_id < memberships.user_id)));

-- A room's owners, and who takes over from the last one, without reading every membership.
CREATE INDEX memberships_room_role ON memberships (room_id, role, joined_at);
