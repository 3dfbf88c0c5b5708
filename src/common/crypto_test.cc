#include "common/crypto.h"

#include "gtest/gtest.h"

namespace storepilot {
namespace {

TEST(Crypto, Sha256KnownAnswer) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, HmacKnownAnswer) {
  // RFC 4231 test case 2.
  EXPECT_EQ(HmacSha256Base64("Jefe", "what do ya want for nothing?"),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=");
}

TEST(Crypto, PreparedHmacKeyMatchesTheOneShotHmac) {
  // Keys shorter than, exactly and longer than SHA-256's 64-byte block (the
  // last is hashed first), and data of 0 to 3 blocks.
  for (const std::string key : {std::string(), std::string("Jefe"), std::string(64, 'k'),
                                std::string(131, '\xaa')}) {
    const HmacSha256Key prepared(key);
    for (const std::string data : {std::string(), std::string("what do ya want for nothing?"),
                                   std::string(64, 'd'), std::string(3300, '\x01')}) {
      SCOPED_TRACE(testing::Message() << key.size() << " / " << data.size());
      EXPECT_EQ(prepared.Base64(data), HmacSha256Base64(key, data));
      EXPECT_EQ(prepared.Hex(data), HmacSha256Hex(key, data));
    }
  }
  // RFC 4231 test case 6 (a 131-byte key).
  EXPECT_EQ(HmacSha256Key(std::string(131, '\xaa'))
                .Hex("Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Crypto, RandomHexHasLengthAndVaries) {
  std::string a = RandomHex(16), b = RandomHex(16);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("token", "token"));
  EXPECT_FALSE(ConstantTimeEquals("token", "tokem"));
  EXPECT_FALSE(ConstantTimeEquals("token", "token2"));
}

}  // namespace
}  // namespace storepilot
