/*
 * driver.c - replays a corpus through a fuzz target when libFuzzer is not
 * linked in: main() feeds every regular file of the directory argv[1] to
 * LLVMFuzzerTestOneInput(), so CTest runs the seed corpus under the
 * sanitizer build and a crash found once stays a regression test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, n;
	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	do {
		if (len == cap) {
			unsigned char *p;
			cap = cap ? cap * 2 : 65536;
			p = realloc(data, cap);
			if (!p) {
				free(data);
				fclose(f);
				return -1;
			}
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

int main(int argc, char **argv)
{
	DIR *d;
	struct dirent *e;
	int count = 0, failed = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	d = opendir(argv[1]);
	if (!d) {
		fprintf(stderr, "cannot open directory %s\n", argv[1]);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay(path) != 0) {
			failed++;
			printf("not ok %d - %s\n", count + failed, e->d_name);
		} else {
			count++;
			printf("ok %d - %s\n", count + failed, e->d_name);
		}
	}
	closedir(d);
	printf("# replayed %d inputs from %s\n", count, argv[1]);
	return failed || count == 0 ? 1 : 0;
}
