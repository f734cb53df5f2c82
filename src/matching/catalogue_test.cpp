#include "matching/catalogue.hpp"

#include <gtest/gtest.h>

namespace chanrong::matching {
namespace {

TEST(Catalogue, DeltaAgainstARootRebuildsTheCatalogue) {
    const CatalogueEntries root = {{1, "a"}, {2, "b"}, {3, "c"}, {5, "e"}};
    const CatalogueEntries now = {{1, "a"}, {2, "B"}, {4, "d"}, {5, "e"}, {6, "f"}};  // 2 changed, 3 gone, 4 and 6 new
    const CatalogueEntries delta = CatalogueDelta(root, now);
    EXPECT_EQ(delta, (CatalogueEntries{{2, "B"}, {3, ""}, {4, "d"}, {6, "f"}}));
    EXPECT_EQ(ApplyCatalogueDelta(root, delta), now);
    EXPECT_TRUE(CatalogueDelta(now, now).empty());
    EXPECT_EQ(CatalogueDelta({}, now), now);
}

TEST(Catalogue, BodiesRoundTripWithRemovalsAsNull) {
    const CatalogueEntries delta = {{2, "B"}, {3, ""}};
    EXPECT_EQ(CatalogueBody(delta), R"([[2,"B"],[3,null]])");
    EXPECT_EQ(ParseCatalogueBody(CatalogueBody(delta)).value(), delta);
    EXPECT_FALSE(ParseCatalogueBody("{"));
    EXPECT_FALSE(ParseCatalogueBody(R"([["x","y"]])"));
}

TEST(Catalogue, HashNamesTheContent) {
    const CatalogueEntries a = {{1, "a"}, {2, "b"}};
    EXPECT_EQ(CatalogueHash(a), CatalogueHash(CatalogueEntries(a)));
    EXPECT_EQ(CatalogueHash(a).size(), 16u);
    EXPECT_NE(CatalogueHash(a), CatalogueHash({{1, "a"}, {2, "c"}}));
    EXPECT_NE(CatalogueHash(a), CatalogueHash({{1, "a"}}));
}

}  // namespace
}  // namespace chanrong::matching
