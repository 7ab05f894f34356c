"""A settlement line nobody decided on yet answers ``"resolution": ""``: the schema must allow it."""

from drf_spectacular.generators import SchemaGenerator


def test_an_undecided_resolution_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    resolution = components["SettlementLine"]["properties"]["resolution"]
    allowed = set()
    for option in resolution["oneOf"]:
        allowed.update(components[option["$ref"].rsplit("/", 1)[1]]["enum"])
    assert allowed == {"disputed", "explained", ""}
