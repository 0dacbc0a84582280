-- retention-service schema starts here; features add their own migrations.
create table service_info (key text primary key, value text not null);
insert into service_info values ('schema', 'retention-service');
