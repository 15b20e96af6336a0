"""One name history: the organisations' states (OrganizationInterval) carry the names; OrganizationName goes.

Until now a rename was written twice, in OrganizationName and in the states. The states made by
0006_history from organisations renamed before it carry today's name all along, so the former names are
moved in first: a state is split on the first day of each name that began inside it, and every state
takes the name borne on its first day. Then OrganizationName is removed.
"""

from collections import defaultdict

from django.db import migrations


def names_into_states(apps, schema_editor):
    OrganizationName = apps.get_model("cells", "OrganizationName")
    OrganizationInterval = apps.get_model("cells", "OrganizationInterval")
    names = defaultdict(list)
    for org_id, name, valid_from, valid_to in OrganizationName.objects.order_by(
        "organization_id", "valid_from"
    ).values_list("organization_id", "name", "valid_from", "valid_to"):
        names[org_id].append((valid_from, valid_to, name))
    states = defaultdict(list)
    for state in OrganizationInterval.objects.filter(organization_id__in=list(names)).order_by(
        "organization_id", "valid_from"
    ):
        states[state.organization_id].append(state)
    for org_id, records in names.items():
        own = states.get(org_id, [])
        for day, _until, _name in records:
            for state in own:
                if state.valid_from < day and (state.valid_to is None or day < state.valid_to):
                    tail = OrganizationInterval(
                        organization_id=org_id, valid_from=day, valid_to=state.valid_to, parent_id=state.parent_id,
                        path=state.path, depth=state.depth, name=state.name, level=state.level,
                    )  # fmt: skip
                    # Closed first: an organisation has one open state at a time.
                    state.valid_to = day
                    state.save(update_fields=["valid_to"])
                    tail.save()
                    own.append(tail)
                    own.sort(key=lambda s: s.valid_from)
                    break
        for state in own:
            for valid_from, valid_to, name in records:
                if valid_from <= state.valid_from and (valid_to is None or state.valid_from < valid_to):
                    if state.name != name:
                        state.name = name
                        state.save(update_fields=["name"])
                    break


def states_into_names(apps, schema_editor):
    """Back: one name record per run of states bearing one name."""
    OrganizationName = apps.get_model("cells", "OrganizationName")
    OrganizationInterval = apps.get_model("cells", "OrganizationInterval")
    rows, previous = [], None
    for org_id, name, valid_from, valid_to in OrganizationInterval.objects.order_by(
        "organization_id", "valid_from"
    ).values_list("organization_id", "name", "valid_from", "valid_to"):
        if previous and previous.organization_id == org_id and previous.name == name and previous.valid_to == valid_from:
            previous.valid_to = valid_to
            continue
        previous = OrganizationName(organization_id=org_id, name=name, valid_from=valid_from, valid_to=valid_to)
        rows.append(previous)
    OrganizationName.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0010_codes_normalised"),
    ]

    operations = [
        migrations.RunPython(names_into_states, states_into_names),
        migrations.DeleteModel(name="OrganizationName"),
    ]
