/* ist_cache.c: the IST's code cache: blocks of decoded instructions, found by where they start
 * and in which mode, dropped when the guest writes the pages they came from. */
#include "ist_cache.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "ist_decode.h"
#include "ist_jit.h"
#include "ist_mem.h"

#define IST_ARENA_SIZE (32u << 20)
#define IST_HASH_SIZE (1u << 16)
#define IST_JUMP_SIZE (1u << 12)
/* Code is tracked byte by byte: a write to a byte no block holds (a stack
 * or variables beside code) costs no look at the page's blocks. */
#define IST_CODE_WORDS (IST_PAGE_SIZE / 64)
/* Blocks start past offset 0, which means "no link" in a branch. */
#define IST_ARENA_FIRST 64

struct ist_cache {
	uint8_t *arena;
	size_t used;
	bool flush_pending;
	struct ist_block *hash[IST_HASH_SIZE];
	struct ist_block *jump[IST_JUMP_SIZE]; /* by linear address: the fast way in */
	struct ist_block **page_head;          /* blocks by physical page (RAM only) */
	uint64_t (*code_bytes)[IST_CODE_WORDS]; /* per page: bytes holding decoded code */
	uint32_t *code_pages;                  /* pages with a list, to reset them */
	size_t code_page_count, code_page_capacity;
	struct ist_insn scratch[IST_BLOCK_MAX_INSNS + 1];
	struct ist_jit *jit; /* NULL: interpret only */
	unsigned hot_after;  /* entries before a block is translated */
};

static unsigned hash_key(uint32_t phys, uint32_t eip, unsigned mode)
{
	uint32_t h = phys * 2654435761u ^ eip * 40503u ^ mode;
	return (h ^ (h >> 16)) & (IST_HASH_SIZE - 1);
}

static unsigned jump_key(uint32_t lin)
{
	return (lin ^ (lin >> 12)) & (IST_JUMP_SIZE - 1);
}

int ist_cache_create(struct ist_cpu *cpu, unsigned hot_after)
{
	struct ist_cache *c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->hot_after = hot_after;
	if (hot_after && ist_jit_create(&c->jit) < 0) {
		free(c);
		return -ENOMEM;
	}
	c->arena = mmap(NULL, IST_ARENA_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	c->page_head = mmap(NULL, IST_PAGES * sizeof(*c->page_head), PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	c->code_bytes = mmap(NULL, IST_PAGES * sizeof(*c->code_bytes), PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (c->arena == MAP_FAILED || c->page_head == MAP_FAILED || c->code_bytes == MAP_FAILED) {
		cpu->cache = c;
		ist_cache_destroy(cpu);
		return -ENOMEM;
	}
	c->used = IST_ARENA_FIRST;
	cpu->cache = c;
	cpu->code_arena = c->arena;
	return 0;
}

void ist_cache_destroy(struct ist_cpu *cpu)
{
	struct ist_cache *c = cpu->cache;
	if (!c)
		return;
	if (c->arena != MAP_FAILED)
		munmap(c->arena, IST_ARENA_SIZE);
	if (c->page_head != MAP_FAILED)
		munmap(c->page_head, IST_PAGES * sizeof(*c->page_head));
	if (c->code_bytes != MAP_FAILED)
		munmap(c->code_bytes, IST_PAGES * sizeof(*c->code_bytes));
	free(c->code_pages);
	ist_jit_destroy(c->jit);
	free(c);
	cpu->cache = NULL;
}

bool ist_cache_translates(const struct ist_cpu *cpu)
{
	return cpu->cache->jit != NULL;
}

/* A page that no longer holds code takes fast writes again (if RAM). */
static void page_release(struct ist_cpu *cpu, uint32_t page)
{
	cpu->cache->page_head[page] = NULL;
	memset(cpu->cache->code_bytes[page], 0, sizeof(cpu->cache->code_bytes[page]));
	cpu->wr_page[page] =
		ist_page_kind(cpu, page) == IST_PAGE_RAM ? cpu->rd_page[page] : NULL;
}

static void cache_reset(struct ist_cpu *cpu)
{
	struct ist_cache *c = cpu->cache;
	for (size_t k = 0; k < c->code_page_count; k++)
		page_release(cpu, c->code_pages[k]);
	c->code_page_count = 0;
	memset(c->hash, 0, sizeof(c->hash));
	memset(c->jump, 0, sizeof(c->jump));
	c->used = IST_ARENA_FIRST;
	c->flush_pending = false;
	if (c->jit)
		ist_jit_reset(c->jit);
}

bool ist_cache_flushing(const struct ist_cpu *cpu)
{
	return cpu->cache->flush_pending;
}

void ist_op_block_end(struct ist_cpu *cpu, const struct ist_insn *i)
{
	ist_chain_fixed(cpu, i, i->eip);
}

uint32_t ist_cache_offset(const struct ist_cpu *cpu, const struct ist_block *b)
{
	return (uint32_t)((const uint8_t *)b - cpu->cache->arena);
}

/* Translates block b; when the host code is full, the cache starts afresh
 * at the next lookup (b runs interpreted until then). */
static void block_translate(struct ist_cpu *cpu, struct ist_block *b)
{
	if (!ist_jit_translate(cpu->cache->jit, b, b->codes, cpu->a20_mask))
		cpu->cache->flush_pending = true;
}

/* The first handler of a block not yet hot: counts the entry, translates
 * the block once it is hot, and runs it. Code run once (start-up, or
 * rewritten before it runs again) is never translated. */
static void ist_op_block_heat(struct ist_cpu *cpu, const struct ist_insn *i)
{
	struct ist_block *b =
		(struct ist_block *)((uint8_t *)(uintptr_t)i - offsetof(struct ist_block, insns));
	if (++b->heat < cpu->cache->hot_after) {
		b->first(cpu, i);
		return;
	}
	b->insns[0].fn = b->first;
	block_translate(cpu, b);
	b->insns[0].fn(cpu, i);
}

/* What a dead block's instructions do: stop, and give back what was charged
 * for the instructions that will not run. */
static void ist_op_stale(struct ist_cpu *cpu, const struct ist_insn *i)
{
	cpu->budget += (int64_t)cpu->block->n - (i - cpu->block->insns);
	cpu->eip = i->eip;
}

static void unlink_from_page(struct ist_cache *c, struct ist_block *b, uint32_t page)
{
	for (struct ist_block **link = &c->page_head[page]; *link;) {
		struct ist_block *x = *link;
		unsigned which = x->pages[0] == page ? 0 : 1;
		if (x == b) {
			*link = x->page_next[which];
			return;
		}
		link = &x->page_next[which];
	}
}

static void block_kill(struct ist_cpu *cpu, struct ist_block *b)
{
	struct ist_cache *c = cpu->cache;
	unsigned h = hash_key(b->phys, b->eip, b->mode);
	unsigned j = jump_key(b->cs_base + b->eip);

	for (struct ist_block **link = &c->hash[h]; *link; link = &(*link)->hash_next) {
		if (*link == b) {
			*link = b->hash_next;
			break;
		}
	}
	if (c->jump[j] == b)
		c->jump[j] = NULL;
	b->dead = true;
	b->jit_entry = NULL;
	for (unsigned k = 0; k <= b->n; k++)
		b->insns[k].fn = ist_op_stale;
}

void ist_cache_flush(struct ist_cpu *cpu)
{
	if (!cpu->cache)
		return;
	cpu->cache->flush_pending = true;
	ist_yield(cpu); /* no chaining into blocks of the old map */
	/* Nor the rest of the block running (a device changed the map or the
	 * gate in the middle): translated code assumed the old ones. */
	if (cpu->block && !cpu->block->dead)
		block_kill(cpu, cpu->block);
}

/* Marks the bytes [first, end) (offsets in one page) as holding code. */
static void mark_bytes(struct ist_cache *c, uint32_t page, uint32_t first, uint32_t end)
{
	uint64_t *words = c->code_bytes[page];
	while (first < end) {
		uint32_t bit = first % 64, count = end - first < 64 - bit ? end - first : 64 - bit;
		uint64_t ones = count == 64 ? ~0ull : ((1ull << count) - 1) << bit;
		words[first / 64] |= ones;
		first += count;
	}
}

/* The bytes of page marked anew from the blocks left on it. */
static void remark_page(struct ist_cache *c, uint32_t page)
{
	memset(c->code_bytes[page], 0, sizeof(c->code_bytes[page]));
	for (struct ist_block *b = c->page_head[page]; b;) {
		unsigned which = b->pages[0] == page ? 0 : 1;
		uint32_t first = which == 0 ? b->phys & IST_PAGE_MASK : 0;
		uint32_t end = b->pages[1] == page ? b->phys_end - (page << IST_PAGE_SHIFT)
						   : IST_PAGE_SIZE;
		mark_bytes(c, page, first, end);
		b = b->page_next[which];
	}
}

/* Whether block b holds a byte of [first, last], bytes of one page. */
static bool block_holds(const struct ist_block *b, uint32_t first, uint32_t last)
{
	uint32_t page = first >> IST_PAGE_SHIFT;
	uint32_t start = page == b->pages[0] ? b->phys : page << IST_PAGE_SHIFT;
	uint64_t end = page == b->pages[1] ? b->phys_end : (uint64_t)(page + 1) << IST_PAGE_SHIFT;
	return first < end && last >= start;
}

/* Kills the blocks on page that hold a byte of [first, last], or all of them
 * (all). A page left without blocks takes fast writes again; one left with
 * some has its bytes marked anew. */
static void kill_page_blocks(struct ist_cpu *cpu, uint32_t page, bool all, uint32_t first,
			     uint32_t last)
{
	struct ist_cache *c = cpu->cache;
	bool killed = false;

	for (struct ist_block *b = c->page_head[page]; b;) {
		unsigned which = b->pages[0] == page ? 0 : 1;
		struct ist_block *next = b->page_next[which];
		if (all || block_holds(b, first, last)) {
			unlink_from_page(c, b, page);
			if (b->pages[0] != b->pages[1])
				unlink_from_page(c, b, b->pages[which ^ 1]);
			block_kill(cpu, b);
			killed = true;
		}
		b = next;
	}
	if (!c->page_head[page])
		page_release(cpu, page);
	else if (killed)
		remark_page(c, page);
}

/* Only the blocks that hold a byte written die: DOS programs keep their
 * variables and stacks beside their code, and killing the whole page at
 * each such write would decode it again and again. */
void ist_cache_write(struct ist_cpu *cpu, uint32_t phys, unsigned size)
{
	const uint64_t *words = cpu->cache->code_bytes[phys >> IST_PAGE_SHIFT];
	uint32_t offset = phys & IST_PAGE_MASK, last = offset + size - 1;
	uint64_t written = (~0ull << (offset % 64)) & (~0ull >> (63 - last % 64));

	/* size <= 4: the bytes lie in one word of the map or two. */
	if (offset / 64 == last / 64 ? !(words[offset / 64] & written)
				     : !(words[offset / 64] >> (offset % 64)) &&
					   !(words[last / 64] << (63 - last % 64)))
		return;
	kill_page_blocks(cpu, phys >> IST_PAGE_SHIFT, false, phys, phys + size - 1);
}

void ist_cache_host_write(struct ist_cpu *cpu, uint64_t phys, uint64_t len)
{
	uint64_t end = phys + len;
	if (len == 0 || phys >= (1ull << 32))
		return;
	if (end > (1ull << 32))
		end = 1ull << 32;
	for (uint64_t page = phys >> IST_PAGE_SHIFT; page <= (end - 1) >> IST_PAGE_SHIFT; page++)
		if (cpu->cache->page_head[page])
			kill_page_blocks(cpu, (uint32_t)page, true, 0, 0);
}


static void page_add(struct ist_cpu *cpu, struct ist_block *b, unsigned which,
		     const struct ist_decode_info *info)
{
	struct ist_cache *c = cpu->cache;
	uint32_t page = b->pages[which];

	if (!c->page_head[page]) {
		if (c->code_page_count == c->code_page_capacity) {
			size_t cap = c->code_page_capacity ? c->code_page_capacity * 2 : 256;
			uint32_t *grown = realloc(c->code_pages, cap * sizeof(*grown));
			if (!grown) {
				/* No room to remember the page: keep the block out of
				 * the page lists and the cache by flushing soon. */
				c->flush_pending = true;
				return;
			}
			c->code_pages = grown;
			c->code_page_capacity = cap;
		}
		c->code_pages[c->code_page_count++] = page;
	}
	b->page_next[which] = c->page_head[page];
	c->page_head[page] = b;
	if (which == 0)
		mark_bytes(c, page, info->phys & IST_PAGE_MASK,
			   info->pages[1] == page ? info->end_offset : IST_PAGE_SIZE);
	else
		mark_bytes(c, page, 0, info->end_offset);
	cpu->wr_page[page] = NULL; /* writes must see the code */
}

static struct ist_block *block_store(struct ist_cpu *cpu, unsigned n,
				     const struct ist_decode_info *info, unsigned mode)
{
	struct ist_cache *c = cpu->cache;
	size_t insns_size = (n + 1) * sizeof(struct ist_insn);
	size_t size = sizeof(struct ist_block) + insns_size + n * sizeof(uint16_t);
	struct ist_block *b;
	uint16_t *codes;

	size = (size + 63) & ~(size_t)63;
	if (c->used + size > IST_ARENA_SIZE)
		cache_reset(cpu);
	b = (struct ist_block *)(c->arena + c->used);
	c->used += size;
	b->eip = cpu->eip;
	b->cs_base = cpu->seg[IST_CS].base;
	b->phys = info->phys;
	b->pages[0] = info->pages[0];
	b->pages[1] = info->pages[1];
	b->phys_end = (info->pages[1] << IST_PAGE_SHIFT) + info->end_offset;
	b->mode = (uint16_t)mode;
	b->n = (uint16_t)n;
	b->dead = false;
	b->cached = info->cacheable;
	b->hash_next = NULL;
	b->page_next[0] = b->page_next[1] = NULL;
	memset(b->link, 0, sizeof(b->link));
	memcpy(b->insns, c->scratch, insns_size);
	codes = (uint16_t *)((uint8_t *)b->insns + insns_size);
	memcpy(codes, info->code, n * sizeof(uint16_t));
	b->codes = codes;
	b->heat = 0;
	b->first = b->insns[0].fn;
	b->jit_entry = NULL;
	return b;
}

struct ist_block *ist_cache_lookup(struct ist_cpu *cpu, unsigned mode)
{
	struct ist_cache *c = cpu->cache;
	uint32_t cs_base = cpu->seg[IST_CS].base, eip = cpu->eip, lin = cs_base + eip;
	struct ist_decode_info info;
	struct ist_block *b;
	unsigned n, h;

	if (unlikely(c->flush_pending))
		cache_reset(cpu);
	b = c->jump[jump_key(lin)];
	if (likely(b && b->eip == eip && b->cs_base == cs_base && b->mode == mode))
		return b;
	info.phys = ist_phys(cpu, lin);
	h = hash_key(info.phys, eip, mode);
	for (b = c->hash[h]; b; b = b->hash_next) {
		if (b->phys == info.phys && b->eip == eip && b->cs_base == cs_base &&
		    b->mode == mode) {
			c->jump[jump_key(lin)] = b;
			return b;
		}
	}
	n = ist_decode_block(cpu, mode, c->scratch,
			     mode & IST_MODE_SINGLE ? 1 : IST_BLOCK_MAX_INSNS, &info);
	b = block_store(cpu, n, &info, mode);
	if (!b->cached)
		return b;
	b->hash_next = c->hash[h];
	c->hash[h] = b;
	c->jump[jump_key(lin)] = b;
	for (unsigned which = 0; which < 2; which++) {
		if (which == 1 && b->pages[1] == b->pages[0])
			break;
		/* ROM pages too: the host may write them (interrupt hook stubs). */
		if (ist_page_kind(cpu, b->pages[which]) != IST_PAGE_NONE)
			page_add(cpu, b, which, &info);
	}
	/* Single steps run one instruction each: not worth translating. */
	if (c->jit && !(mode & IST_MODE_SINGLE)) {
		if (c->hot_after <= 1)
			block_translate(cpu, b);
		else
			b->insns[0].fn = ist_op_block_heat;
	}
	return b;
}
