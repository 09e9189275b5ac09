/* The cache of small blocks in front of malloc that Lua allocates from:
 * sizes, contents kept across resizing, reuse, and its limit. */
#include "testutil.h"

#include "core/blockpool.h"

static void fill(unsigned char *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed + i);
}

static bool filled(const unsigned char *p, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (unsigned char)(seed + i))
			return false;
	return true;
}

/* Every size up to past the largest pooled one: the block holds what is
 * written to all of it. */
static void test_blockpool_blocks_hold_every_size(void **state)
{
	(void)state;
	struct blockpool bp = BLOCKPOOL_INIT;
	for (size_t n = 1; n <= BLOCKPOOL_MAX + 40; n++) {
		unsigned char *p = blockpool_take(&bp, n);
		assert_non_null(p);
		fill(p, n, (unsigned char)n);
		assert_true(filled(p, n, (unsigned char)n));
		blockpool_give(&bp, p, n);
	}
	blockpool_free(&bp);
	assert_int_equal(bp.kept, 0);
}

/* The block just given back is the next one taken for any size of its
 * class, and a block of another class is not. */
static void test_blockpool_reuses_the_last_block_of_a_class(void **state)
{
	(void)state;
	struct blockpool bp = BLOCKPOOL_INIT;
	void *a = blockpool_take(&bp, 40);
	blockpool_give(&bp, a, 40);
	assert_int_equal(bp.kept, 48);
	assert_ptr_equal(blockpool_take(&bp, 33), a);	/* 33..48 share a class */
	assert_int_equal(bp.kept, 0);
	blockpool_give(&bp, a, 33);
	void *b = blockpool_take(&bp, 49);
	assert_ptr_not_equal(b, a);
	blockpool_give(&bp, b, 49);
	blockpool_free(&bp);
}

/* Growing and shrinking, within a class, across classes, into and out
 * of the sizes malloc serves alone: the first bytes are kept. */
static void test_blockpool_resize_keeps_the_contents(void **state)
{
	(void)state;
	struct blockpool bp = BLOCKPOOL_INIT;
	static const size_t sizes[] = {8, 12, 100, 1024, 1025, 5000, 300, 2000, 16, 1};
	size_t n = 1;
	unsigned char *p = blockpool_take(&bp, n);
	fill(p, n, 7);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		size_t m = sizes[i];
		p = blockpool_resize(&bp, p, n, m);
		assert_non_null(p);
		assert_true(filled(p, n < m ? n : m, 7));
		fill(p, m, 7);
		n = m;
	}
	blockpool_give(&bp, p, n);
	blockpool_free(&bp);
}

static void test_blockpool_same_class_resize_is_the_same_block(void **state)
{
	(void)state;
	struct blockpool bp = BLOCKPOOL_INIT;
	void *p = blockpool_take(&bp, 20);
	assert_ptr_equal(blockpool_resize(&bp, p, 20, 32), p);
	assert_ptr_equal(blockpool_resize(&bp, p, 32, 17), p);
	blockpool_give(&bp, p, 17);
	blockpool_free(&bp);
}

/* It keeps no more than BLOCKPOOL_KEEP bytes: the rest goes back to free. */
static void test_blockpool_keeps_a_bounded_amount(void **state)
{
	(void)state;
	struct blockpool bp = BLOCKPOOL_INIT;
	enum { N = 2 * BLOCKPOOL_KEEP / BLOCKPOOL_MAX };
	static void *blocks[N];
	for (int i = 0; i < N; i++)
		blocks[i] = blockpool_take(&bp, BLOCKPOOL_MAX);
	for (int i = 0; i < N; i++)
		blockpool_give(&bp, blocks[i], BLOCKPOOL_MAX);
	assert_true(bp.kept <= BLOCKPOOL_KEEP);
	assert_true(bp.kept > BLOCKPOOL_KEEP - BLOCKPOOL_MAX);
	blockpool_free(&bp);
	assert_int_equal(bp.kept, 0);
	blockpool_give(&bp, NULL, 10);	/* ignored, as free(NULL) */
	assert_int_equal(bp.kept, 0);
	void *z = blockpool_take(&bp, 0);	/* not asked for by Lua, but harmless */
	assert_non_null(z);
	blockpool_give(&bp, z, 0);
	assert_int_equal(bp.kept, BLOCKPOOL_GRAIN);
	blockpool_free(&bp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blockpool_blocks_hold_every_size),
		cmocka_unit_test(test_blockpool_reuses_the_last_block_of_a_class),
		cmocka_unit_test(test_blockpool_resize_keeps_the_contents),
		cmocka_unit_test(test_blockpool_same_class_resize_is_the_same_block),
		cmocka_unit_test(test_blockpool_keeps_a_bounded_amount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
